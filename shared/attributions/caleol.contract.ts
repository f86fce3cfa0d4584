/**
 * The CALEOL calendars' API contract (server/modules/attributions): a landlord's sittings, the
 * communes' attendance, the personal calendar feed.
 */
import { z } from 'zod';
import { horodatage, uuid } from '../contract.js';
import { codeInsee } from '../identifiants.js';
import { PRESENCES } from './referentiel.js';

const instant = (champ: string) =>
  z.iso.datetime({ offset: true, message: `${champ} : date et heure invalides, format ISO 8601 avec décalage attendu (ex. 2027-02-10T09:30:00+01:00).` });

const texte = (max: number) => z.string().trim().max(max, `Texte trop long : ${max} caractères au plus.`);

export const seanceCreateSchema = z.object({
  /** Start of the sitting (ISO 8601 with offset). */
  debut: instant('debut'),
  /** End of the sitting; default two hours after the start. */
  fin: instant('fin').optional(),
  /** The commission's name, when the landlord has several (« CALEOL Nîmes Ouest »). */
  commission: texte(200).min(1, 'commission : indiquez le nom de la commission.').optional(),
  lieu: texte(300).optional(),
  /** Video link of a sitting held remotely (https). */
  lien_visio: z.url({ protocol: /^https$/, message: 'lien_visio : adresse https attendue.' }).max(500).optional(),
  /** Communes whose dwellings the sitting examines (their referents are told). */
  communes: z.array(codeInsee).min(1, 'communes : au moins une commune concernée.').max(200),
  /** Notes on the agenda: number of dwellings examined, programmes… never a person. */
  ordre_du_jour: texte(5000).optional(),
  /** Administrators only: the landlord organisation that holds the commission. */
  bailleur_id: z.uuid('bailleur_id : identifiant d’organisation invalide.').optional(),
});

export const seanceUpdateSchema = z.object({
  debut: instant('debut').optional(),
  fin: instant('fin').optional(),
  commission: texte(200).min(1).optional(),
  lieu: texte(300).nullable().optional(),
  lien_visio: z.url({ protocol: /^https$/, message: 'lien_visio : adresse https attendue.' }).max(500).nullable().optional(),
  communes: z.array(codeInsee).min(1, 'communes : au moins une commune concernée.').max(200).optional(),
  ordre_du_jour: texte(5000).nullable().optional(),
});

export const seanceAnnulationQuery = z.object({ motif: texte(500).optional() });
export const seanceParams = z.object({ id: z.uuid('Identifiant de séance invalide.') });
export const seancesQuery = z.object({
  commune: codeInsee.optional(),
  /** Sittings from this day on (AAAA-MM-JJ); default: all. */
  depuis: z.iso.date('depuis : date AAAA-MM-JJ attendue.').optional(),
  annulees: z.enum(['true', 'false'], 'annulees : true ou false.').optional(),
});

export const presenceSchema = z.object({
  /** Who attended for the commune: an élu, the referent, or nobody. */
  presence: z.enum(Object.keys(PRESENCES) as [keyof typeof PRESENCES], 'presence : elu, referent ou absent.'),
  /** Administrators and EPCI: which commune (a commune user records its own). */
  commune: codeInsee.optional(),
});

// ----- responses

export const seanceSchema = z.object({
  id: uuid,
  bailleur: z.object({ id: uuid, nom: z.string() }),
  commission: z.string(),
  debut: horodatage,
  fin: horodatage,
  lieu: z.string().nullable(),
  lien_visio: z.string().nullable(),
  ordre_du_jour: z.string().nullable(),
  communes: z.array(z.object({ code_insee: z.string(), nom: z.string() })),
  statut: z.string().describe('planifiee ou annulee'),
  motif_annulation: z.string().nullable(),
  /** How many times the sitting changed (the calendars' SEQUENCE). */
  sequence: z.number().int(),
  modifications: z.array(z.object({ le: z.string(), champs: z.record(z.string(), z.object({ avant: z.unknown(), apres: z.unknown() })) })),
  /** Attendance recorded by the communes. */
  presences: z.array(z.object({ commune: z.string(), presence: z.string() })),
  /** What the caller may do (the UI shows only these buttons). */
  policies: z.object({ modifier: z.boolean(), presence: z.boolean() }),
});

export const seancesSchema = z.object({ count: z.number().int(), results: z.array(seanceSchema) });

export const calendrierSchema = z.object({
  /** The secret address of the caller's calendar feed (iCalendar), to paste in Outlook, Thunderbird or a phone. */
  url: z.string(),
  /** The same address with the webcal scheme (opens the calendar application). */
  webcal: z.string(),
});

export type Seance = z.infer<typeof seanceSchema>;
