/**
 * User accounts: responses (server/modules/users). The request bodies are still in
 * server/modules/users/users.schema.ts. Objects are loose: fields added by the server pass through.
 */
import { z } from 'zod';
import { ouvert, uuid } from '../contract.js';

export const userSchema = ouvert({
  id: uuid,
  email: z.string(),
  nom: z.string(),
  role: z.string(),
  actif: z.boolean(),
  demo: z.boolean(),
  organisation: ouvert({ id: uuid, nom: z.string(), type: z.string() }).nullable(),
  departement: z.string().nullable(),
  epci_siren: z.string().nullable(),
  commune_insee: z.string().nullable(),
  /** The account is linked to a ProConnect identity. */
  sso_lie: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});
export const usersSchema = ouvert({ count: z.number().int(), results: z.array(userSchema) });

export type User = z.infer<typeof userSchema>;
