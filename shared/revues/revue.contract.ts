/**
 * The project reviews' API contract: request bodies and responses (server/modules/revues).
 */
import { z } from 'zod';
import { uuid } from '../contract.js';
import { email, siren } from '../identifiants.js';

const jour = z.iso.date('Date invalide : format attendu AAAA-MM-JJ.');

export const participantSchema = z.object({
  email,
  nom: z.string().trim().max(200).optional(),
  organisation: z.string().trim().max(300).optional(),
});

export const revueCreateSchema = z.object({
  epci_siren: siren,
  /** Date and time of the meeting (ISO 8601 with offset). */
  date: z.iso.datetime({ offset: true, message: 'Date et heure invalides : format ISO 8601 attendu (ex. 2026-01-13T09:30:00+01:00).' }),
  lieu: z.string().trim().max(300).optional(),
  participants: z.array(participantSchema).max(100).default([]),
});

/** A year's cycle of reviews of one EPCI, planned in one step (three by default in the roadmap). */
export const cycleCreateSchema = revueCreateSchema.omit({ date: true }).extend({
  dates: z
    .array(z.iso.datetime({ offset: true, message: 'Date et heure invalides : format ISO 8601 attendu (ex. 2026-02-10T09:30:00+01:00).' }))
    .min(1, 'dates : au moins une date.')
    .max(6, 'dates : six revues au plus en une fois.'),
});

export const revueUpdateSchema = z.object({
  date: z.iso.datetime({ offset: true, message: 'Date et heure invalides.' }).optional(),
  lieu: z.string().trim().max(300).nullable().optional(),
  statut: z.enum(['planifiee', 'tenue', 'annulee'], 'Statut inconnu (planifiee, tenue, annulee).').optional(),
});

export const pointUpdateSchema = z.object({
  situation: z.string().trim().max(10_000).nullable().optional(),
  decisions: z.string().trim().max(10_000).nullable().optional(),
});

export const actionCreateSchema = z.object({
  libelle: z.string().trim().min(1, 'Décrivez l’action.').max(2000),
  /** Who carries it: a person or an organisation. */
  responsable: z.string().trim().min(1, 'Indiquez le responsable.').max(300),
  echeance: jour,
});

export const actionUpdateSchema = z.object({
  statut: z.enum(['ouverte', 'close'], 'Statut inconnu (ouverte, close).').optional(),
  close_le: jour.optional(),
  echeance: jour.optional(),
  responsable: z.string().trim().min(1).max(300).optional(),
});

export const escaladeSchema = z.object({
  motif: z.string().trim().min(1, 'Motivez la demande d’arbitrage.').max(5000),
});

export const arbitrageSchema = z.object({
  decision: z.string().trim().min(1, 'Indiquez l’arbitrage rendu.').max(10_000),
  date: jour,
});

export const revueIdParams = z.object({ id: z.uuid('Identifiant de revue invalide.') });
export const pointParams = revueIdParams.extend({ pointId: z.uuid('Identifiant de point invalide.') });
export const actionParams = z.object({ actionId: z.uuid('Identifiant d’action invalide.') });
export const revuesQuery = z.object({ epci: siren.optional(), annee: z.coerce.number().int().min(2000).max(2100).optional() });
export const pointCreateSchema = z.object({ operation_id: z.uuid('Identifiant d’opération invalide.') });
export const participantsSchema = z.object({ participants: z.array(participantSchema).min(1).max(100) });

// ----- responses

/** One action decided in a review. */
export const actionSchema = z.object({
  id: uuid,
  operation_id: uuid,
  libelle: z.string(),
  responsable: z.string(),
  echeance: z.string().describe('AAAA-MM-JJ'),
  statut: z.string().describe('ouverte ou close'),
  close_le: z.string().nullable(),
  en_retard: z.boolean(),
});

/** A review in the list. */
export const revueResumeSchema = z.object({
  id: uuid,
  epci_siren: z.string(),
  epci_nom: z.string(),
  date: z.string(),
  lieu: z.string().nullable(),
  statut: z.string(),
  points: z.number().int(),
  escalades: z.number().int(),
});

export const revuesSchema = z.object({ count: z.number().int(), results: z.array(revueResumeSchema) });

/** A review with its agenda, records and actions. */
export const revueSchema = z.object({
  id: uuid,
  epci: z.object({ siren: z.string(), nom: z.string().nullable() }),
  departement: z.string(),
  date: z.string(),
  lieu: z.string().nullable(),
  statut: z.string(),
  participants: z.array(z.object({ email: z.string(), nom: z.string().nullable(), organisation: z.string().nullable(), invite_le: z.string().nullable() })),
  points: z.array(
    z.object({
      id: uuid,
      ordre: z.number().int(),
      origine: z.string(),
      operation: z.object({ id: uuid, nom: z.string(), commune: z.string(), bailleur: z.string(), etape: z.string() }),
      blocages_ouverts: z.array(z.object({ type: z.string(), description: z.string(), depuis: z.string() })),
      situation: z.string().nullable(),
      decisions: z.string().nullable(),
      escalade: z.object({ motif: z.string().nullable(), le: z.string().nullable(), arbitrage: z.string().nullable(), arbitrage_le: z.string().nullable() }).nullable(),
      actions: z.array(actionSchema),
    }),
  ),
  /** What the caller may do on this review (the UI shows only these buttons). */
  policies: z.object({ gerer: z.boolean(), contribuer: z.boolean() }),
});

export const cycleSchema = z.object({ count: z.number().int(), results: z.array(revueSchema) });
export const actualisationSchema = z.object({ ajoutes: z.number().int() });

export type Action = z.infer<typeof actionSchema>;
export type RevueResume = z.infer<typeof revueResumeSchema>;
export type Revue = z.infer<typeof revueSchema>;
export type Cycle = z.infer<typeof cycleSchema>;
