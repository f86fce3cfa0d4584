/** Organisations: request and responses (server/modules/organisations). */
import { z } from 'zod';
import { uuid } from '../contract.js';
import { codeDepartement, codeInsee, siren } from '../identifiants.js';
import { ORGANISATION_TYPES } from '../roles.js';

export const organisationCreateSchema = z.object({
  type: z.enum(ORGANISATION_TYPES, 'Type d’organisation inconnu.'),
  nom: z.string().trim().min(1, 'Nom requis.').max(300),
  siren: siren.optional(),
  departement: codeDepartement.optional(),
  epci_siren: siren.optional(),
  commune_insee: codeInsee.optional(),
});
export const organisationsQuery = z.object({ type: z.enum(ORGANISATION_TYPES).optional() });
export const organisationIdParams = z.object({ id: z.uuid('Identifiant invalide.') });

export const organisationSchema = z.object({
  id: uuid,
  type: z.string(),
  nom: z.string(),
  siren: z.string().nullable(),
  departement: z.string().nullable(),
  epci_siren: z.string().nullable(),
  commune_insee: z.string().nullable(),
  demo: z.boolean(),
});
export const organisationsSchema = z.object({ count: z.number().int(), results: z.array(organisationSchema) });

export type OrganisationCreate = z.infer<typeof organisationCreateSchema>;
export type Organisation = z.infer<typeof organisationSchema>;
