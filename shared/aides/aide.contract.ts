/**
 * The financing-aids API responses (server/modules/aides): aides-territoires field names plus
 * Atelier's structured eligibility. Open objects: the fields listed are documented and checked;
 * any other field (the aides-territoires mirror grows) passes through.
 */
import { z } from 'zod';
import { ouvert, resultatImportCommun } from '../contract.js';

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

/** A search answer: one page of published aids, with the query's interpretation. */
export const rechercheAidesSchema = ouvert({
  count: entier,
  recherche_id: z.number().int().nullable(),
  interpretation: z.unknown(),
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
export const statistiquesSchema = ouvert({ par_mois: z.array(z.unknown()), frequentes: z.array(z.unknown()), sans_resultat: z.array(z.unknown()), sans_clic: z.array(z.unknown()), aides_les_plus_vues: z.array(z.unknown()) });

/** Eligibility of a project: eligible aids and partial matches, with reasons. */
export const eligibiliteSchema = ouvert({ eligibles: z.array(z.unknown()), partielles: z.array(z.unknown()) });
export const eligibiliteOperationSchema = eligibiliteSchema.extend({ projet: z.unknown() });

export const importAidesSchema = ouvert({ ...resultatImportCommun, aides: entier });

export const groupeVocabulaireSchema = ouvert({ id: entier, termes: z.array(z.string()), note: texteOuNull, updated_at: z.string() });
export const vocabulaireSchema = ouvert({ groupes: z.array(groupeVocabulaireSchema) });

export type Aide = z.infer<typeof aideSchema>;
export type RechercheAides = z.infer<typeof rechercheAidesSchema>;
export type ReferentielAides = z.infer<typeof referentielAidesSchema>;
export type MesAides = z.infer<typeof mesAidesSchema>;
export type Campagne = z.infer<typeof campagneSchema>;
export type Statistiques = z.infer<typeof statistiquesSchema>;
export type Eligibilite = z.infer<typeof eligibiliteSchema>;
export type ImportAides = z.infer<typeof importAidesSchema>;
export type GroupeVocabulaire = z.infer<typeof groupeVocabulaireSchema>;
