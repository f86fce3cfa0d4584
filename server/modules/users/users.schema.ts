import { z } from 'zod';
import { codeDepartement, codeInsee, email, siren } from '../../../shared/identifiants.js';
import { ROLES } from '../../../shared/roles.js';
import { PASSWORD_MIN_LENGTH } from '../auth/passwords.js';

const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`)
  .max(1024);

export const userCreateSchema = z.object({
  /** Sign-in e-mail, unique. */
  email,
  /** Full name as shown to others. */
  nom: z.string().trim().min(1, 'Nom requis.').max(200),
  role: z.enum(ROLES, 'Rôle inconnu.'),
  /** Required for bailleur, financeur and epf; optional otherwise. */
  organisation_id: z.uuid('Identifiant d’organisation invalide.').optional(),
  /** Scope of a State agent; derived from the EPCI, commune or organisation otherwise. */
  departement: codeDepartement.optional(),
  /** Scope of an EPCI agent. */
  epci_siren: siren.optional(),
  /** Scope of a commune account. */
  commune_insee: codeInsee.optional(),
  /** Omit for accounts that sign in only through ProConnect. */
  password: password.optional(),
});

export const userUpdateSchema = userCreateSchema.omit({ email: true }).partial().extend({
  actif: z.boolean().optional(),
});

export type UserCreate = z.infer<typeof userCreateSchema>;
export type UserUpdate = z.infer<typeof userUpdateSchema>;
