import { z } from 'zod';
import { email, siren } from '../../../shared/identifiants.js';

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
