/** Personal API tokens: request and responses (server/modules/tokens). */
import { z } from 'zod';
import { uuid } from '../contract.js';

export const tokenCreateSchema = z.object({
  nom: z.string().trim().min(1, 'Nom du jeton requis.').max(100),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});
export const tokenIdParams = z.object({ id: z.uuid('Identifiant invalide.') });

export const tokenSchema = z.object({
  id: uuid,
  nom: z.string(),
  /** The first characters of the token, to recognise it. */
  prefixe: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
/** The created token, with its value shown this once. */
export const tokenCreeSchema = tokenSchema.extend({ token: z.string() });
export const tokensSchema = z.object({ results: z.array(tokenSchema) });

export type TokenCreate = z.infer<typeof tokenCreateSchema>;
export type Token = z.infer<typeof tokenSchema>;
export type TokenCree = z.infer<typeof tokenCreeSchema>;
