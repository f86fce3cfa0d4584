/** Sign-in and the current user: responses (server/modules/auth). Loose objects: added fields pass through. */
import { z } from 'zod';
import { ouvert, uuid } from '../contract.js';

/** `GET /api/v1/me`: the user, role, organisation, scope and permissions. */
export const meSchema = ouvert({
  id: uuid,
  email: z.string(),
  nom: z.string(),
  role: z.string(),
  role_libelle: z.string(),
  departement: z.string().nullable(),
  organisation: ouvert({ id: uuid, nom: z.string(), type: z.string() }).nullable(),
  scope: z.object({ type: z.enum(['national', 'departement', 'epci', 'commune', 'organisation']), code: z.string().optional(), nom: z.string().optional() }),
  permissions: z.array(z.string()),
});
export const loginSchema = ouvert({ user: meSchema, csrf_token: z.string() });
export const csrfSchema = ouvert({ token: z.string() });
export const oidcConfigSchema = ouvert({ enabled: z.boolean() });
/** A browser redirection (302) to the identity provider or back to the application. */
export const redirectionSchema = { description: 'Redirection (en-tête Location)', content: { 'text/plain': { schema: z.string() } } };

export type Me = z.infer<typeof meSchema>;
export type Login = z.infer<typeof loginSchema>;
