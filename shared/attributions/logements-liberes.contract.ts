/**
 * The vacated dwellings' API contract: a landlord declares dwellings freed in its stock; the
 * commune, the EPCI, the réservataire and the State follow them. Dwellings only, never a person
 * (donnees-personnelles.ts).
 */
import { z } from 'zod';
import { horodatage, jour, resultatImportCommun, uuid } from '../contract.js';
import { codeInsee, siren } from '../identifiants.js';
import { PRODUITS_LOGEMENT, RESERVATAIRE_CODES, STATUT_CODES, TYPOLOGIES } from './referentiel.js';

const texte = (max: number) => z.string().trim().max(max, `Texte trop long : ${max} caractères au plus.`);
const date = (champ: string) => z.iso.date(`${champ} : date AAAA-MM-JJ attendue.`);

export const logementLibereCreateSchema = z.object({
  commune: codeInsee,
  /** The landlord's own reference of the dwelling (re-import key). */
  reference: texte(100).min(1).optional(),
  residence: texte(300).optional(),
  adresse: texte(300).optional(),
  typologie: z.enum(TYPOLOGIES, `typologie : ${TYPOLOGIES.join(', ')}.`),
  produit: z.enum(PRODUITS_LOGEMENT, `produit : ${PRODUITS_LOGEMENT.join(', ')}.`),
  surface_m2: z.number('surface_m2 : nombre attendu.').positive('surface_m2 : surface positive attendue.').max(1000).optional(),
  loyer_mensuel: z.number('loyer_mensuel : nombre attendu.').nonnegative('loyer_mensuel : montant positif attendu.').max(100_000).optional(),
  disponible_le: date('disponible_le'),
  reservataire: z.enum(RESERVATAIRE_CODES, `reservataire : ${RESERVATAIRE_CODES.join(', ')}.`),
  accessible: z.boolean('accessible : true ou false.').optional(),
  /** The CALEOL sitting planned to examine it. */
  seance_id: z.uuid('seance_id : identifiant de séance invalide.').optional(),
  /** Administrators only: the landlord organisation. */
  bailleur_id: z.uuid('bailleur_id : identifiant d’organisation invalide.').optional(),
});

export const logementLibereUpdateSchema = z.object({
  statut: z.enum(STATUT_CODES, `statut : ${STATUT_CODES.join(', ')}.`).optional(),
  /** The day of the attribution (the only thing recorded of it). */
  attribue_le: date('attribue_le').optional(),
  seance_id: z.uuid('seance_id : identifiant de séance invalide.').nullable().optional(),
  disponible_le: date('disponible_le').optional(),
});

export const logementLibereParams = z.object({ id: z.uuid('Identifiant de logement invalide.') });

export const logementsLiberesQuery = z.object({
  commune: codeInsee.optional(),
  epci: siren.optional(),
  statut: z.enum(STATUT_CODES, `statut : ${STATUT_CODES.join(', ')}.`).optional(),
  typologie: z.enum(TYPOLOGIES, `typologie : ${TYPOLOGIES.join(', ')}.`).optional(),
  reservataire: z.enum(RESERVATAIRE_CODES, `reservataire : ${RESERVATAIRE_CODES.join(', ')}.`).optional(),
  /** Available from / until (AAAA-MM-JJ). */
  du: date('du').optional(),
  au: date('au').optional(),
  limit: z.coerce.number('limit : nombre attendu.').int().min(1).max(500).default(100),
  offset: z.coerce.number('offset : nombre attendu.').int().min(0).default(0),
});

export const logementsImportQuery = z.object({ dry_run: z.enum(['true', 'false'], 'dry_run : true ou false.').optional() });

// ----- responses

export const logementLibereSchema = z.object({
  id: uuid,
  bailleur: z.object({ id: uuid, nom: z.string() }),
  commune: z.object({ code_insee: z.string(), nom: z.string() }),
  epci_siren: z.string().nullable(),
  departement: z.string(),
  reference: z.string().nullable(),
  residence: z.string().nullable(),
  adresse: z.string().nullable(),
  typologie: z.string(),
  produit: z.string(),
  surface_m2: z.number().nullable(),
  loyer_mensuel: z.number().nullable(),
  disponible_le: jour,
  reservataire: z.string(),
  accessible: z.boolean().nullable(),
  seance: z.object({ id: uuid, debut: horodatage, statut: z.string() }).nullable(),
  statut: z.string(),
  attribue_le: jour.nullable(),
  created_at: horodatage,
  policies: z.object({ modifier: z.boolean() }),
});

export const logementsLiberesSchema = z.object({ count: z.number().int(), results: z.array(logementLibereSchema) });

export const importLogementsSchema = z.looseObject(resultatImportCommun);

export type LogementLibere = z.infer<typeof logementLibereSchema>;
