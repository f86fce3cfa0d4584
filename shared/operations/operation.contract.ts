/**
 * The operations register's API responses (server/modules/operations); the request bodies are in
 * operation.schema.ts beside this file. Objects are loose (`z.looseObject`): the fields listed are
 * documented and checked, fields the server adds pass through untouched.
 */
import { z } from 'zod';
import { erreurImportCommune, ouvert, resultatImportCommun, uuid, type Reponse } from '../contract.js';
import { CATEGORIES_FINANCEMENT, type CategorieFinancement } from './operation.schema.js';

const entier = z.number().int();
const jourOuNull = z.string().nullable();
const libelles = z.record(z.string(), z.string());

export const blocageSchema = ouvert({
  id: uuid,
  type: z.string(),
  type_libelle: z.string(),
  description: z.string(),
  depuis: z.string(),
  acteur_attendu: z.string().nullable(),
  statut: z.string(),
  leve_le: jourOuNull,
});

/** Dwellings by product (`PRODUITS` in referentiel.ts) and their total. */
export const logementsDtoSchema = ouvert({ plai: entier, plai_adapte: entier, plus: entier, pls: entier, psla: entier, brs: entier, total: entier });

/** A line of the financing plan as stored (written through `ligneFinancementSchema`, operation.schema.ts). */
export const ligneFinancementDtoSchema = ouvert({
  categorie: z.enum(Object.keys(CATEGORIES_FINANCEMENT) as [CategorieFinancement, ...CategorieFinancement[]]).describe('Prêt, subvention ou fonds propres'),
  /** e.g. "PLAI (Banque des Territoires)", "Subvention FNAP". */
  source: z.string(),
  /** The financer, when it differs from the source's name. */
  financeur: z.string().optional(),
  /** Euros. */
  montant: z.number(),
});

/** A gisement of the land observatory an operation stands on (those the caller may read). */
export const gisementLieSchema = ouvert({ id: uuid, nom: z.string(), statut: z.string(), statut_libelle: z.string() });

/** A blocker as the register's listing shows it (open ones only). */
export const blocageResumeSchema = ouvert({
  id: uuid,
  type: z.string(),
  type_libelle: z.string(),
  depuis: z.string(),
  acteur_attendu: z.string().nullable(),
  statut: z.string(),
});

/** One operation with all its blockers and the gisements it stands on. */
export const operationSchema = ouvert({
  id: uuid,
  nom: z.string(),
  commune: ouvert({ code_insee: z.string(), nom: z.string() }),
  epci: ouvert({ siren: z.string(), nom: z.string().nullable() }).nullable(),
  departement: z.string(),
  adresse: z.string().nullable(),
  localisation: ouvert({ lon: z.number(), lat: z.number() }).nullable(),
  bailleur: ouvert({ id: uuid, nom: z.string(), siren: z.string().nullable() }),
  numero_siap: z.string().nullable(),
  type: z.string(),
  type_libelle: z.string(),
  logements: logementsDtoSchema,
  annee_programmation: entier.nullable(),
  etape: z.string(),
  etape_libelle: z.string(),
  motif_abandon: z.string().nullable(),
  date_foncier_maitrise: jourOuNull,
  date_depot_permis: jourOuNull,
  date_obtention_permis: jourOuNull,
  date_recours: jourOuNull,
  date_agrement: jourOuNull,
  date_appel_offres: jourOuNull,
  date_ordre_service: jourOuNull,
  date_livraison: jourOuNull,
  date_agrement_prevue: jourOuNull,
  date_ordre_service_prevue: jourOuNull,
  date_livraison_prevue: jourOuNull,
  /** Prix de revient, euros. */
  cout_total: z.number().nullable(),
  /**
   * Financing plan: amounts by source (loans, subsidies by financer, equity). Checked line by line;
   * typed `unknown` for the server, whose row still reads the jsonb column as `unknown`: the client
   * reads it through `OperationReponse` below.
   */
  plan_financement: z.array(ligneFinancementDtoSchema) as unknown as z.ZodType<unknown>,
  /** Phone number residents can call about the operation. */
  contact_riverains: z.string().nullable(),
  /** An open blocker, or a stage's planned date passed. */
  en_difficulte: z.boolean(),
  /** What is late, in French. */
  retards: z.array(z.string()),
  blocages: z.array(blocageSchema),
  created_at: z.string(),
  updated_at: z.string(),
  /** What the caller may do on this operation. */
  policies: ouvert({ modifier: z.boolean() }),
  gisements: z.array(gisementLieSchema).optional(),
});

/** A row of the register's listing: what a list shows (the detail has the rest). */
export const operationResumeSchema = ouvert({
  id: uuid,
  nom: z.string(),
  commune: ouvert({ code_insee: z.string(), nom: z.string() }),
  epci: ouvert({ siren: z.string(), nom: z.string().nullable() }).nullable(),
  departement: z.string(),
  bailleur: ouvert({ id: uuid, nom: z.string(), siren: z.string().nullable() }),
  numero_siap: z.string().nullable(),
  type: z.string(),
  type_libelle: z.string(),
  logements: logementsDtoSchema,
  annee_programmation: entier.nullable(),
  etape: z.string(),
  etape_libelle: z.string(),
  en_difficulte: z.boolean(),
  retards: z.array(z.string()),
  /** Open blockers only. */
  blocages: z.array(blocageResumeSchema),
  updated_at: z.string(),
});

/** One page of the register (summaries; the detail is GET /api/v1/operations/{id}). */
export const operationsPageSchema = ouvert({
  /** Operations matching the filters, all pages. */
  count: entier,
  page: entier,
  limit: entier,
  results: z.array(operationResumeSchema),
});

export const referentielOperationsSchema = ouvert({
  /** The stages in order, each with the fields it requires and locks and the stages reachable from it. */
  etapes: z.array(
    ouvert({
      code: z.string(),
      libelle: z.string(),
      requis: z.array(z.string()),
      verrouilles: z.array(z.string()),
      suivantes: z.array(z.string()),
      /** A final stage (delivered, abandoned): no planned date can make it late. */
      finale: z.boolean().optional(),
    }),
  ),
  types_operation: libelles,
  produits: libelles,
  types_blocage: libelles,
  statuts_blocage: libelles,
  categories_document: libelles,
});

export const documentSchema = ouvert({
  id: uuid,
  categorie: z.string(),
  categorie_libelle: z.string(),
  nom_fichier: z.string(),
  type_mime: z.string(),
  taille: entier,
  sha256: z.string(),
  depose_par: z.string(),
  created_at: z.string(),
});
export const documentsSchema = ouvert({ count: entier, results: z.array(documentSchema) });

export const evenementSchema = ouvert({ id: entier, at: z.string(), auteur: z.string(), type: z.string(), resume: z.string(), details: z.unknown() });
export const evenementsSchema = ouvert({ results: z.array(evenementSchema) });

export const concertationSchema = ouvert({
  id: uuid,
  modalite: z.string(),
  modalite_libelle: z.string(),
  date: z.string(),
  riverains_rencontres: entier,
  preoccupations: z.string().nullable(),
  reponses: z.string().nullable(),
});
export const concertationsSchema = ouvert({ contact_riverains: z.string().nullable(), total_riverains: entier, results: z.array(concertationSchema) });

/** One refused cell of an import. */
export const erreurImportSchema = ouvert(erreurImportCommune);
/** The result of a spreadsheet import (200), or of a refused one (422, nothing written). */
export const importOperationsSchema = ouvert({ ...resultatImportCommun, created: entier, updated: entier, errors: z.array(erreurImportSchema) });

export type Blocage = z.infer<typeof blocageSchema>;
export type LigneFinancementDto = z.infer<typeof ligneFinancementDtoSchema>;
export type OperationResume = z.infer<typeof operationResumeSchema>;
export type Operation = z.infer<typeof operationSchema>;
/** An operation as the client receives it: `operationSchema` with its financing plan typed. */
export type OperationReponse = Omit<Reponse<typeof operationSchema>, 'plan_financement'> & { plan_financement: Reponse<typeof ligneFinancementDtoSchema>[] };
export type OperationsPage = z.infer<typeof operationsPageSchema>;
export type ReferentielOperations = z.infer<typeof referentielOperationsSchema>;
export type DocumentOperation = z.infer<typeof documentSchema>;
export type Evenement = z.infer<typeof evenementSchema>;
export type Concertation = z.infer<typeof concertationSchema>;
export type Concertations = z.infer<typeof concertationsSchema>;
export type ImportOperations = z.infer<typeof importOperationsSchema>;
