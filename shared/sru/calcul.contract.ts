/**
 * Contract of `POST /api/v1/sru/calcul` (issue 17) and `GET /api/v1/sru/regles`: request and
 * response schemas, shared by the server (declared on the route) and the UI.
 */
import { z } from 'zod';
import { codeDepartement, codeInsee } from '../identifiants.js';

const entierPositif = (champ: string) =>
  z
    .number(`${champ} : un nombre est attendu.`)
    .int(`${champ} : un nombre entier est attendu.`)
    .min(0, `${champ} : un nombre positif ou nul est attendu.`);

const montantPositif = (champ: string) => z.number(`${champ} : un montant en euros est attendu.`).min(0, `${champ} : un montant positif ou nul est attendu.`);

const taux = (champ: string) =>
  z
    .number(`${champ} : un taux est attendu (fraction entre 0 et 1, par exemple 0.25).`)
    .min(0, `${champ} : un taux entre 0 et 1 est attendu (par exemple 0.25 pour 25 %).`)
    .max(1, `${champ} : un taux entre 0 et 1 est attendu (par exemple 0.25 pour 25 %), pas un pourcentage.`);

/** A deductible expense (L302-7), already admitted by the préfet, with the year it was made. */
export const depenseDeductible = z.object({
  /** Year the expense was made. */
  annee: z.number('annee : une année est attendue.').int('annee : une année est attendue.').min(2000).max(2100),
  /** Amount in euros. */
  montant: montantPositif('montant'),
});

/** The inputs of one commune. The first eight fields are those of the contract. */
export const communeCalcul = z.object({
  /** INSEE code of the commune. */
  code_insee: codeInsee,
  /** Main residences at 1 January of the previous year (L302-5 I). */
  residences_principales: entierPositif('residences_principales'),
  /** Social dwellings counted by the inventory (L302-5 IV). */
  lls: entierPositif('lls'),
  /** The commune's target rate (0.25 or 0.20, L302-5 I–II), as a fraction. */
  taux_cible: taux('taux_cible'),
  /** Potentiel fiscal par habitant (CGCT L2334-4), euros. */
  potentiel_fiscal_par_habitant: montantPositif('potentiel_fiscal_par_habitant'),
  /** Dépenses réelles de fonctionnement of the penultimate financial year, euros. */
  depenses_reelles_fonctionnement: montantPositif('depenses_reelles_fonctionnement'),
  /** Population municipale (R302-14 I). */
  population: entierPositif('population'),
  /** Whether a programme local de l'habitat covers the commune (L302-8 III). */
  couverte_plh: z.boolean('couverte_plh : vrai ou faux (true/false) est attendu.'),
  /** EPCI (SIREN), for aggregation and pooling. */
  code_epci: z.string().trim().regex(/^\d{9}$/, 'code_epci : SIREN de 9 chiffres attendu.').optional(),
  /** Département; derived from the INSEE code when absent. */
  code_departement: codeDepartement.optional(),
  /** In the unité urbaine de Paris (threshold 1,500). */
  unite_urbaine_paris: z.boolean().optional(),
  /** Population of the agglomeration or EPCI the commune belongs to (the larger qualifying one). */
  population_agglomeration: entierPositif('population_agglomeration').optional(),
  /** Whether that agglomeration or EPCI has a commune of more than 15,000 inhabitants. */
  commune_plus_15000_dans_agglomeration: z.boolean().optional(),
  /** Exempted by décret for the triennial period (L302-5 III). */
  exemptee: z.boolean().optional(),
  /** Receives the dotation de solidarité urbaine (L302-7). */
  beneficiaire_dsu: z.boolean().optional(),
  /** Receives the fraction cible of the dotation de solidarité rurale (L302-7). */
  beneficiaire_dsr_cible: z.boolean().optional(),
  /** Newly subject: 1 for its first triennial period (no levy), 2 for the second (L302-7, L302-8 VIII). */
  periode_depuis_assujettissement: z.number().int().min(1).optional(),
  /** Deductible expenses with the year they were made. */
  depenses_deductibles: z.array(depenseDeductible).max(50).optional(),
  /** Carence: majoration rate set by the arrêté (0 to 4: levy × (1 + rate), at most five times). */
  taux_majoration_carence: z.number().min(0).max(4, 'taux_majoration_carence : au plus 4 (prélèvement multiplié par 5).').optional(),
});
export type CommuneCalcul = z.infer<typeof communeCalcul>;

/** A reform scenario: a set of parameters over the same rules. Every field is optional. */
export const scenarioCalcul = z.object({
  /** Libellé shown in results. */
  libelle: z.string().trim().max(200).optional(),
  /** Single target rate for every commune (préfet's proposal: 0.20). */
  taux_cible_unique: taux('taux_cible_unique').optional(),
  /** No population thresholds nor agglomeration criterion: every commune given is in scope. */
  sans_seuils_population: z.boolean().optional(),
  /** Pool obligations across all the communes of each EPCI (see docs/decisions/0012). */
  mutualisation_epci: z.boolean().optional(),
  /** Deductible expenses counted the year they are made (no two-year delay). */
  deduction_sans_delai: z.boolean().optional(),
  /** Free parameters. */
  seuil_population: entierPositif('seuil_population').optional(),
  seuil_population_paris: entierPositif('seuil_population_paris').optional(),
  seuil_agglomeration: entierPositif('seuil_agglomeration').optional(),
  taux_rattrapage: taux('taux_rattrapage').optional(),
  delai_deduction_annees: z.number().int().min(0).max(5).optional(),
  /** Year of the levy (deductible expenses of year − delay count); default: the current year. */
  annee_prelevement: z.number().int().min(2002).max(2100).optional(),
  /** Median potentiel fiscal par habitant of the communes subject to the levy (raises the carence cap, L302-9-1). */
  potentiel_fiscal_median_par_habitant: montantPositif('potentiel_fiscal_median_par_habitant').optional(),
});
export type ScenarioCalcul = z.infer<typeof scenarioCalcul>;

export const calculRequete = z.object({
  communes: z.array(communeCalcul).min(1, 'communes : au moins une commune est attendue.').max(50_000),
  scenario: scenarioCalcul.optional(),
});
export type CalculRequete = z.infer<typeof calculRequete>;

export const regleAppliquee = z.object({ id: z.string(), source: z.string() });

export const objectifTriennal = z.object({
  total: z.number().int(),
  plai_min: z.number().int(),
  pls_max: z.number().int(),
  taux_rattrapage: z.number(),
});

export const detailPrelevement = z.object({
  /** Missing social dwellings the levy is computed on (after pooling when applied). */
  logements_manquants: z.number(),
  taux_potentiel_fiscal: z.number(),
  potentiel_fiscal_par_habitant: z.number(),
  /** 25 % × PF/hab × logements manquants, before the cap. */
  montant_formule: z.number(),
  plafond: z.number(),
  plafonne: z.boolean(),
  sous_seuil: z.boolean(),
  exoneration_dsu: z.boolean(),
  exoneration_dsr_cible: z.boolean(),
  /** First three years of subjection: no levy. */
  exoneration_nouvelle_commune: z.boolean(),
  depenses_deduites: z.number(),
  annee_depenses_deduites: z.number().int().nullable(),
  /** Deductible expenses above the levy (carried over under R302-16-1, not computed). */
  excedent_depenses: z.number(),
  majoration_carence: z.number(),
});

export const resultatCommune = z.object({
  code_insee: z.string(),
  code_epci: z.string().nullable(),
  code_departement: z.string(),
  soumise: z.boolean(),
  deficitaire: z.boolean(),
  /** Why the commune is (not) subject, in French. */
  motif: z.string(),
  taux_cible: z.number(),
  lls: z.number().int(),
  residences_principales: z.number().int(),
  taux_lls: z.number(),
  deficit: z.number(),
  objectif_triennal: objectifTriennal,
  prelevement_brut: z.number(),
  prelevement: z.number(),
  detail_prelevement: detailPrelevement,
  regles: z.array(regleAppliquee),
});
export type ResultatCommune = z.infer<typeof resultatCommune>;

export const totaux = z.object({
  communes: z.number().int(),
  soumises: z.number().int(),
  deficitaires: z.number().int(),
  deficit: z.number(),
  objectif_triennal: z.number().int(),
  prelevement_brut: z.number(),
  prelevement: z.number(),
});
export type Totaux = z.infer<typeof totaux>;

const comparaison = z.object({ code: z.string(), droit_actuel: totaux, scenario: totaux });

export const calculReponse = z.object({
  /** The parameters actually applied (law, overridden by the scenario). */
  scenario: z.object({ libelle: z.string(), parametres: z.record(z.string(), z.union([z.number(), z.boolean(), z.null()])) }),
  resultats: z.array(resultatCommune),
  agregats: z.object({
    epci: z.array(comparaison),
    departements: z.array(comparaison),
    total: z.object({ droit_actuel: totaux, scenario: totaux }),
  }),
});
export type CalculReponse = z.infer<typeof calculReponse>;

export const regleReponse = z.object({
  id: z.string(),
  libelle: z.string(),
  article: z.string(),
  version: z.string(),
  valeur: z.number().nullable(),
  unite: z.string(),
  confirme: z.boolean(),
  sources: z.array(z.string()),
  note: z.string(),
});
export const reglesReponse = z.object({ regles: z.array(regleReponse), non_confirmees: z.number().int() });
