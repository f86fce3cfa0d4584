/**
 * The financing-aids API responses (server/modules/aides): aides-territoires field names plus
 * Atelier's structured eligibility. Open objects: the fields listed are documented and checked;
 * any other field (the aides-territoires mirror grows) passes through.
 */
import { z } from 'zod';
import { erreurImportCommune, ouvert, resultatImportCommun } from '../contract.js';

const entier = z.number().int();
const texteOuNull = z.string().nullable();

/** An aid as the public sees it. */
export const aideSchema = ouvert({
  /** The aides-territoires id when the aid comes from there, else Atelier's uuid. */
  id: z.string(),
  uuid: z.string(),
  slug: z.string(),
  url: z.string(),
  name: z.string(),
  short_title: texteOuNull,
  financers: z.array(z.string()),
  instructors: z.array(z.string()),
  programs: z.array(z.string()),
  aid_types: z.array(z.string()),
  targeted_audiences: z.array(z.string()),
  perimeter: ouvert({ scale: z.string(), code: z.string(), name: z.string() }),
  categories: z.array(z.string()),
  description: z.string(),
  eligibility: z.string(),
  mobilization_steps: z.array(z.string()),
  recurrence: texteOuNull,
  is_call_for_project: z.boolean(),
  start_date: texteOuNull,
  submission_deadline: texteOuNull,
  subvention_rate_lower_bound: z.number().nullable(),
  subvention_rate_upper_bound: z.number().nullable(),
  loan_amount: z.number().nullable(),
  origin_url: texteOuNull,
  application_url: texteOuNull,
  logement_social: ouvert({ operation_types: z.array(z.string()), produits: z.array(z.string()), conditions: z.array(z.string()) }).nullable(),
  confidence: texteOuNull,
  statut: z.string(),
  organisation: ouvert({ id: z.string(), nom: texteOuNull }).nullable(),
  confirmee_le: texteOuNull,
  date_updated: texteOuNull,
  /** The aid on aides-territoires, when the sync keeps it from there (its id and page). */
  aides_territoires: ouvert({ id: texteOuNull, url: z.string() }).nullable().optional(),
});

/** How a search query was understood: its concepts (with their equivalent expressions) and the typos corrected. */
export const interpretationSchema = ouvert({
  concepts: z.array(ouvert({ source: z.string(), alternatives: z.array(z.string()) })),
  corrections: z.array(ouvert({ de: z.string(), vers: z.string() })),
});

/** A search answer: one page of published aids, with the query's interpretation. */
export const rechercheAidesSchema = ouvert({
  count: entier,
  /** Identifies the search in the log (clicks are counted against it); null when not logged. */
  recherche_id: z.number().int().nullable(),
  interpretation: interpretationSchema,
  results: z.array(aideSchema.extend({ score: z.number(), extrait_html: texteOuNull })),
  page: entier,
  limit: entier,
});

/** aides-territoires compatibility: the perimeter flattened, the paging links. */
export const aideAtSchema = aideSchema.extend({ perimeter: z.string(), perimeter_scale: z.string(), perimeter_code: z.string() });
export const rechercheAtSchema = ouvert({ count: entier, previous: texteOuNull, next: texteOuNull, results: z.array(aideAtSchema.extend({ score: z.number().optional(), extrait_html: texteOuNull.optional() })) });
export const backersSchema = ouvert({ count: entier, previous: z.null(), next: z.null(), results: z.array(ouvert({ id: entier, name: z.string(), slug: z.string(), nb_aides: entier })) });

export const referentielAidesSchema = ouvert({
  audiences: z.array(ouvert({ slug: z.string(), libelle: z.string() })).readonly(),
  types_aide: z.array(z.string()).readonly(),
  types_operation: z.array(z.string()).readonly(),
  produits: z.array(z.string()).readonly(),
  conditions: z.array(ouvert({ code: z.string(), libelle: z.string() })).readonly(),
  statuts: z.array(ouvert({ code: z.string(), libelle: z.string() })).readonly(),
});

/** A financer's aids, with their audience. */
export const mesAidesSchema = ouvert({ results: z.array(aideSchema.extend({ vues: entier, clics: entier, motif_renvoi: texteOuNull })) });
export const aidesSchema = ouvert({ results: z.array(aideSchema) });

export const campagneSchema = ouvert({
  results: z.array(ouvert({ organisation_id: z.string(), nom: z.string(), brouillons: entier, en_revue: entier, publiees: entier, expirees: entier, derniere_publication: texteOuNull })),
});
/** The search log's statistics (no personal data): `texte` is the query as logged, `n` how many times. */
export const statistiquesSchema = ouvert({
  /** Per month, `AAAA-MM`, the last 24. */
  par_mois: z.array(ouvert({ mois: z.string(), recherches: entier, sans_resultat: entier, sans_clic: entier })),
  frequentes: z.array(ouvert({ texte: z.string(), n: entier, resultats_moyens: entier, clics: entier })),
  /** `derniere`: when it was last searched. */
  sans_resultat: z.array(ouvert({ texte: z.string(), n: entier, derniere: z.string() })),
  sans_clic: z.array(ouvert({ texte: z.string(), n: entier, resultats_moyens: entier })),
  aides_les_plus_vues: z.array(ouvert({ slug: z.string(), name: z.string(), vues: entier, clics: entier })),
});

/** An aid matched against a project: whether it is eligible, why, what is missing, what to check. */
export const correspondanceSchema = ouvert({
  aide: aideSchema,
  eligible: z.boolean(),
  /** What matches (perimeter, operation type, products, stage, conditions), in French. */
  raisons: z.array(z.string()),
  /** What keeps it from being eligible, in French. */
  manques: z.array(z.string()),
  /** Conditions the data cannot settle, to check with the financer. */
  a_verifier: z.array(z.string()),
});
/** Eligibility of a project: eligible aids and partial matches, with reasons. */
export const eligibiliteSchema = ouvert({ eligibles: z.array(correspondanceSchema), partielles: z.array(correspondanceSchema) });
/** The same for an operation of the register, with the project read from it. */
export const eligibiliteOperationSchema = eligibiliteSchema.extend({
  projet: ouvert({ commune: z.string(), typeOperation: z.string(), produits: z.array(z.string()), stade: z.string().optional(), audience: z.string() }),
});

/** One refused field of an aids import: the common error, `champ` the aides-territoires field path (= `colonne`). */
export const erreurImportAideSchema = ouvert({ ...erreurImportCommune, champ: z.string() });
export const importAidesSchema = ouvert({ ...resultatImportCommun, erreurs: z.array(erreurImportAideSchema), aides: entier });

export const groupeVocabulaireSchema = ouvert({ id: entier, termes: z.array(z.string()), note: texteOuNull, updated_at: z.string() });
export const vocabulaireSchema = ouvert({ groupes: z.array(groupeVocabulaireSchema) });

export type Aide = z.infer<typeof aideSchema>;
export type RechercheAides = z.infer<typeof rechercheAidesSchema>;
export type ReferentielAides = z.infer<typeof referentielAidesSchema>;
export type MesAides = z.infer<typeof mesAidesSchema>;
export type Campagne = z.infer<typeof campagneSchema>;
export type Statistiques = z.infer<typeof statistiquesSchema>;
export type Eligibilite = z.infer<typeof eligibiliteSchema>;
export type Correspondance = z.infer<typeof correspondanceSchema>;
export type ImportAides = z.infer<typeof importAidesSchema>;
export type GroupeVocabulaire = z.infer<typeof groupeVocabulaireSchema>;
