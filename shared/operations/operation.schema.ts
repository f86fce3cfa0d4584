import { z } from 'zod';
import { codeInsee } from '../identifiants.js';
import { ETAPE_CODES } from './etapes.js';
import { TYPES_BLOCAGE, TYPES_OPERATION, STATUTS_BLOCAGE } from './referentiel.js';

const jour = z.iso.date('Date invalide : format attendu AAAA-MM-JJ.');
const nombreLogements = z.number('Indiquez un nombre entier de logements.').int('Nombre entier attendu.').min(0, 'Nombre positif attendu.').max(10_000);

/** Nothing given (absent or empty): the form's « choose » message rather than « unknown value ». */
const absent = (input: unknown) => input === undefined || input === '';
/** One of `valeurs`: « choisissez » when nothing is given, « inconnu » for another value. */
const choix = (valeurs: readonly string[], aChoisir: string, inconnu: string) =>
  z.enum(valeurs as [string, ...string[]], { error: (issue) => (absent(issue.input) ? aChoisir : inconnu) });
const annee = 'Saisissez une année sur 4 chiffres, par exemple 2026.';

export const logementsSchema = z.object({
  plai: nombreLogements.optional(),
  plai_adapte: nombreLogements.optional(),
  plus: nombreLogements.optional(),
  pls: nombreLogements.optional(),
  psla: nombreLogements.optional(),
  brs: nombreLogements.optional(),
});

/** The categories of a financing plan's lines, and their labels. */
export const CATEGORIES_FINANCEMENT = {
  pret: 'Prêt',
  subvention: 'Subvention',
  fonds_propres: 'Fonds propres',
} as const;
export type CategorieFinancement = keyof typeof CATEGORIES_FINANCEMENT;

export const ligneFinancementSchema = z.object({
  /** pret, subvention or fonds_propres */
  categorie: choix(Object.keys(CATEGORIES_FINANCEMENT), 'Choisissez la catégorie (prêt, subvention ou fonds propres).', 'Catégorie de financement inconnue (pret, subvention, fonds_propres).'),
  /** e.g. "PLAI (Banque des Territoires)", "Subvention FNAP", "Fonds propres". */
  source: z
    .string('Saisissez la source du financement.')
    .trim()
    .min(1, 'Saisissez la source du financement, par exemple « Prêt PLUS » ou « Subvention FNAP ».')
    .max(200, 'La source ne doit pas dépasser 200 caractères.'),
  /** The financer, when it differs from the source's name. */
  financeur: z.string().trim().max(200, 'Le financeur ne doit pas dépasser 200 caractères.').optional(),
  /** Euros. */
  montant: z
    .number({ error: (issue) => (absent(issue.input) ? 'Saisissez le montant en euros.' : 'Saisissez un montant positif en euros, par exemple 250 000 ou 250000,50.') })
    .min(0, 'Saisissez un montant positif en euros, par exemple 250 000 ou 250000,50.')
    .max(1e11, 'Le montant est trop élevé.'),
});

const champsOperation = {
  /** Name of the operation, as the landlord calls it. */
  nom: z.string('Saisissez le nom de l’opération.').trim().min(1, 'Saisissez le nom de l’opération.').max(300),
  /** INSEE code of the commune (`codeInsee`); « choisissez » when empty. */
  commune_insee: z.string('Choisissez la commune.').min(1, 'Choisissez la commune.').pipe(codeInsee).describe('Code INSEE de la commune : 5 caractères, par exemple 30189'),
  adresse: z.string().trim().max(500).nullable().optional(),
  /** Point on the map (WGS84). */
  localisation: z
    .object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) })
    .nullable()
    .optional(),
  /** The landlord (organisation of type bailleur); implied for a bailleur's own account. */
  bailleur_id: z.uuid({ error: (issue) => (absent(issue.input) ? 'Choisissez le bailleur.' : 'Identifiant de bailleur invalide.') }).optional(),
  numero_siap: z.string().trim().min(1).max(50).nullable().optional(),
  type: choix(Object.keys(TYPES_OPERATION), 'Choisissez le type d’opération.', 'Type d’opération inconnu.'),
  logements: logementsSchema.optional(),
  annee_programmation: z.number(annee).int(annee).min(1990, annee).max(2100, annee).nullable().optional(),
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
  cout_total: z.number('Indiquez un montant positif, en euros.').min(0, 'Indiquez un montant positif, en euros.').max(1e11, 'Le montant est trop élevé.').nullable().optional(),
  plan_financement: z.array(ligneFinancementSchema).max(100).optional(),
  /** Phone number residents can call about the operation (solution 7). */
  contact_riverains: z.string().trim().max(50).nullable().optional(),
};

export const operationCreateSchema = z.object(champsOperation);
export const operationUpdateSchema = z.object(champsOperation).partial();
export type OperationCreate = z.infer<typeof operationCreateSchema>;
export type OperationUpdate = z.infer<typeof operationUpdateSchema>;

export const blocageCreateSchema = z.object({
  type: choix(Object.keys(TYPES_BLOCAGE), 'Choisissez le type de blocage.', 'Type de blocage inconnu.'),
  description: z.string('Décrivez le blocage.').trim().min(1, 'Décrivez le blocage.').max(5000),
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
  modalite: choix(Object.keys(MODALITES_CONCERTATION), 'Choisissez la modalité.', 'Modalité inconnue (reunion_publique, porte_a_porte, permanence, autre).'),
  date: z.string('Indiquez la date.').min(1, 'Indiquez la date.').pipe(jour),
  riverains_rencontres: z.number('Indiquez un nombre entier de riverains.').int('Indiquez un nombre entier de riverains.').min(0, 'Indiquez un nombre entier de riverains.').max(100_000),
  /** Concerns raised by residents. */
  preoccupations: z.string().trim().max(10_000).nullable().optional(),
  /** Answers given. */
  reponses: z.string().trim().max(10_000).nullable().optional(),
});
