/** Personal API tokens: request and responses (server/modules/tokens). */
import { z } from 'zod';
import { uuid } from '../contract.js';
import { JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS } from '../jetons.js';

const joursInvalides = `expires_in_days : nombre entier de jours entre 1 et ${JETON_DUREE_MAX_JOURS} attendu.`;

export const tokenCreateSchema = z.object({
  /** A name to recognise the token by, e.g. « Tableau de bord SIG ». */
  nom: z.string().trim().min(1, 'Nom du jeton requis.').max(100),
  /** Days until the token expires (90 by default, 365 at most). */
  expires_in_days: z
    .number(joursInvalides)
    .int(joursInvalides)
    .min(1, joursInvalides)
    .max(JETON_DUREE_MAX_JOURS, `expires_in_days : ${JETON_DUREE_MAX_JOURS} jours au plus.`)
    .default(JETON_DUREE_DEFAUT_JOURS),
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
