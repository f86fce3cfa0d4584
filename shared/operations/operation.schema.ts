import { z } from 'zod';
import { codeInsee } from '../identifiants.js';
import { ETAPE_CODES } from './etapes.js';
import { TYPES_BLOCAGE, TYPES_OPERATION, STATUTS_BLOCAGE } from './referentiel.js';

const jour = z.iso.date('Date invalide : format attendu AAAA-MM-JJ.');
const nombreLogements = z.number().int('Nombre entier attendu.').min(0, 'Nombre positif attendu.').max(10_000);

export const logementsSchema = z.object({
  plai: nombreLogements.optional(),
  plai_adapte: nombreLogements.optional(),
  plus: nombreLogements.optional(),
  pls: nombreLogements.optional(),
  psla: nombreLogements.optional(),
  brs: nombreLogements.optional(),
});

export const ligneFinancementSchema = z.object({
  /** pret, subvention or fonds_propres */
  categorie: z.enum(['pret', 'subvention', 'fonds_propres'], 'Catégorie de financement inconnue (pret, subvention, fonds_propres).'),
  /** e.g. "PLAI (Banque des Territoires)", "Subvention FNAP", "Fonds propres". */
  source: z.string().trim().min(1).max(200),
  /** The financer, when it differs from the source's name. */
  financeur: z.string().trim().max(200).optional(),
  montant: z.number().min(0, 'Montant positif attendu.'),
});

const champsOperation = {
  /** Name of the operation, as the landlord calls it. */
  nom: z.string().trim().min(1, 'Nom requis.').max(300),
  commune_insee: codeInsee,
  adresse: z.string().trim().max(500).nullable().optional(),
  /** Point on the map (WGS84). */
  localisation: z
    .object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) })
    .nullable()
    .optional(),
  /** The landlord (organisation of type bailleur); implied for a bailleur's own account. */
  bailleur_id: z.uuid('Identifiant de bailleur invalide.').optional(),
  numero_siap: z.string().trim().min(1).max(50).nullable().optional(),
  type: z.enum(Object.keys(TYPES_OPERATION) as [string, ...string[]], 'Type d’opération inconnu.'),
  logements: logementsSchema.optional(),
  annee_programmation: z.number().int().min(1990).max(2100).nullable().optional(),
  etape: z.enum(ETAPE_CODES, 'Étape inconnue.').optional(),
  motif_abandon: z.string().trim().max(2000).nullable().optional(),
  date_foncier_maitrise: jour.nullable().optional(),
  date_depot_permis: jour.nullable().optional(),
  date_obtention_permis: jour.nullable().optional(),
  date_recours: jour.nullable().optional(),
  date_agrement: jour.nullable().optional(),
  date_appel_offres: jour.nullable().optional(),
  date_ordre_service: jour.nullable().optional(),
  date_livraison: jour.nullable().optional(),
  date_agrement_prevue: jour.nullable().optional(),
  date_ordre_service_prevue: jour.nullable().optional(),
  date_livraison_prevue: jour.nullable().optional(),
  /** Prix de revient (euros). */
  cout_total: z.number().min(0).max(1e11).nullable().optional(),
  plan_financement: z.array(ligneFinancementSchema).max(100).optional(),
  /** Phone number residents can call about the operation (solution 7). */
  contact_riverains: z.string().trim().max(50).nullable().optional(),
};

export const operationCreateSchema = z.object(champsOperation);
export const operationUpdateSchema = z.object(champsOperation).partial();
export type OperationCreate = z.infer<typeof operationCreateSchema>;
export type OperationUpdate = z.infer<typeof operationUpdateSchema>;

export const blocageCreateSchema = z.object({
  type: z.enum(Object.keys(TYPES_BLOCAGE) as [string, ...string[]], 'Type de blocage inconnu.'),
  description: z.string().trim().min(1, 'Décrivez le blocage.').max(5000),
  /** Since when the operation is blocked; today by default. */
  depuis: jour.optional(),
  /** Who must act to lift it. */
  acteur_attendu: z.string().trim().max(300).nullable().optional(),
});

export const blocageUpdateSchema = z.object({
  description: z.string().trim().min(1).max(5000).optional(),
  acteur_attendu: z.string().trim().max(300).nullable().optional(),
  statut: z.enum(Object.keys(STATUTS_BLOCAGE) as [string, ...string[]], 'Statut inconnu (ouvert, en_cours, leve).').optional(),
  /** Date the blocker was lifted; today by default when the status becomes "leve". */
  leve_le: jour.optional(),
});

export const MODALITES_CONCERTATION = {
  reunion_publique: 'Réunion publique',
  porte_a_porte: 'Porte-à-porte',
  permanence: 'Permanence',
  autre: 'Autre',
} as const;

export const concertationCreateSchema = z.object({
  modalite: z.enum(Object.keys(MODALITES_CONCERTATION) as [string, ...string[]], 'Modalité inconnue (reunion_publique, porte_a_porte, permanence, autre).'),
  date: jour,
  riverains_rencontres: z.number().int('Nombre entier attendu.').min(0).max(100_000),
  /** Concerns raised by residents. */
  preoccupations: z.string().trim().max(10_000).nullable().optional(),
  /** Answers given. */
  reponses: z.string().trim().max(10_000).nullable().optional(),
});
