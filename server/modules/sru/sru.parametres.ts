/**
 * The parameters of the SRU computation: read from the rules table (shared/sru/regles.ts), then
 * overridden by a scenario. Every parameter remembers the rule it comes from, or the scenario field
 * that replaced it, so that each figure of a result can name its source.
 */
import type { ScenarioCalcul } from '../../../shared/sru/calcul.contract.js';
import { regle, valeurRegle, type RegleSruId } from '../../../shared/sru/regles.js';

/** Numeric parameters, each tied to one rule of the law. */
const DEPUIS_REGLE = {
  seuil_population: 'assujettissement.seuil_population',
  seuil_population_paris: 'assujettissement.seuil_population_paris',
  seuil_agglomeration: 'assujettissement.seuil_agglomeration',
  seuil_commune_centre: 'assujettissement.seuil_commune_centre',
  taux_rattrapage: 'objectif.taux_rattrapage',
  taux_rattrapage_proche: 'objectif.taux_rattrapage_proche_cible',
  taux_rattrapage_tres_proche: 'objectif.taux_rattrapage_tres_proche_cible',
  ecart_proche: 'objectif.ecart_points_50',
  ecart_tres_proche: 'objectif.ecart_points_100',
  taux_nouvelle_p1: 'objectif.nouvelle_commune_p1',
  taux_nouvelle_p2: 'objectif.nouvelle_commune_p2',
  plai_min: 'typologie.plai_min',
  pls_max: 'typologie.pls_max',
  pls_max_sans_plh: 'typologie.pls_max_sans_plh',
  seuil_part_lls_sans_plh: 'typologie.seuil_part_lls_sans_plh',
  taux_potentiel_fiscal: 'prelevement.taux_potentiel_fiscal',
  plafond_drf: 'prelevement.plafond_drf',
  ratio_potentiel_median: 'carence.ratio_potentiel_median',
  seuil_minimum: 'prelevement.seuil_minimum',
  seuil_dsu_cible_20: 'prelevement.seuil_dsu_cible_20',
  seuil_dsu_cible_25: 'prelevement.seuil_dsu_cible_25',
  delai_deduction_annees: 'prelevement.delai_deduction',
  majoration_max: 'carence.majoration_max',
  plafond_carence: 'carence.plafond_drf',
  plafond_carence_riche: 'carence.plafond_drf_riche',
} as const satisfies Record<string, RegleSruId>;

export type ParametreNumerique = keyof typeof DEPUIS_REGLE;

export interface Parametres {
  libelle: string;
  valeurs: Record<ParametreNumerique, number>;
  /** Single target rate replacing each commune's, or null (current law). */
  taux_cible_unique: number | null;
  sans_seuils_population: boolean;
  mutualisation_epci: boolean;
  annee_prelevement: number;
  potentiel_fiscal_median_par_habitant: number | null;
  /** Parameters a scenario changed (their figures then cite the scenario, not the article). */
  remplaces: Set<string>;
  /** References already built for this parameter set. */
  sources?: Map<string, RegleAppliquee>;
}

/** A reference to a rule as results carry it: its id and the article (and version) it comes from. */
export interface RegleAppliquee {
  id: string;
  source: string;
}

const SOURCES = new Map<string, RegleAppliquee>();

/** The reference to a rule (built once per rule: results share the objects). */
export function sourceRegle(id: RegleSruId): RegleAppliquee {
  let s = SOURCES.get(id);
  if (!s) {
    const r = regle(id);
    s = { id: r.id, source: `${r.article} — ${r.version}${r.confirme ? '' : ' — valeur non confirmée'}` };
    SOURCES.set(id, s);
  }
  return s;
}

/** The parameters of the current law. */
export function parametresDuDroit(annee: number): Parametres {
  const valeurs = Object.fromEntries(Object.entries(DEPUIS_REGLE).map(([k, id]) => [k, valeurRegle(id)])) as Record<ParametreNumerique, number>;
  return {
    libelle: 'Droit en vigueur',
    valeurs,
    taux_cible_unique: null,
    sans_seuils_population: false,
    mutualisation_epci: false,
    annee_prelevement: annee,
    potentiel_fiscal_median_par_habitant: null,
    remplaces: new Set(),
  };
}

/** The parameters of a scenario: the law's, with the scenario's fields replacing them. */
export function parametresDuScenario(scenario: ScenarioCalcul | undefined, annee: number): Parametres {
  const p = parametresDuDroit(annee);
  if (!scenario) return p;
  const remplacer = (cle: ParametreNumerique, v: number | undefined) => {
    if (v === undefined) return;
    p.valeurs[cle] = v;
    p.remplaces.add(cle);
  };
  remplacer('seuil_population', scenario.seuil_population);
  remplacer('seuil_population_paris', scenario.seuil_population_paris);
  remplacer('seuil_agglomeration', scenario.seuil_agglomeration);
  remplacer('taux_rattrapage', scenario.taux_rattrapage);
  remplacer('delai_deduction_annees', scenario.deduction_sans_delai ? 0 : scenario.delai_deduction_annees);
  if (scenario.taux_cible_unique !== undefined) {
    p.taux_cible_unique = scenario.taux_cible_unique;
    p.remplaces.add('taux_cible_unique');
  }
  if (scenario.sans_seuils_population) {
    p.sans_seuils_population = true;
    p.remplaces.add('sans_seuils_population');
  }
  if (scenario.mutualisation_epci) {
    p.mutualisation_epci = true;
    p.remplaces.add('mutualisation_epci');
  }
  if (scenario.annee_prelevement !== undefined) p.annee_prelevement = scenario.annee_prelevement;
  if (scenario.potentiel_fiscal_median_par_habitant !== undefined) p.potentiel_fiscal_median_par_habitant = scenario.potentiel_fiscal_median_par_habitant;
  const change = p.remplaces.size > 0;
  p.libelle = scenario.libelle ?? (change ? 'Scénario' : 'Droit en vigueur');
  return p;
}

/** The rule behind a parameter, or the scenario field that replaced it. */
export function sourceParametre(p: Parametres, cle: ParametreNumerique | 'taux_cible_unique' | 'sans_seuils_population' | 'mutualisation_epci'): RegleAppliquee {
  p.sources ??= new Map();
  let s = p.sources.get(cle);
  if (!s) {
    s = construireSource(p, cle);
    p.sources.set(cle, s);
  }
  return s;
}

function construireSource(p: Parametres, cle: ParametreNumerique | 'taux_cible_unique' | 'sans_seuils_population' | 'mutualisation_epci'): RegleAppliquee {
  if (p.remplaces.has(cle)) {
    const valeur = cle in p.valeurs ? p.valeurs[cle as ParametreNumerique] : cle === 'taux_cible_unique' ? p.taux_cible_unique : true;
    const remplace = cle in DEPUIS_REGLE ? ` (remplace ${regle(DEPUIS_REGLE[cle as ParametreNumerique]).article})` : '';
    return { id: `scenario.${cle}`, source: `Scénario « ${p.libelle} » : ${cle} = ${String(valeur)}${remplace}` };
  }
  return sourceRegle(DEPUIS_REGLE[cle as ParametreNumerique]);
}

/** The parameters as the response echoes them. */
export function parametresPublies(p: Parametres): Record<string, number | boolean | null> {
  return {
    ...p.valeurs,
    taux_cible_unique: p.taux_cible_unique,
    sans_seuils_population: p.sans_seuils_population,
    mutualisation_epci: p.mutualisation_epci,
    annee_prelevement: p.annee_prelevement,
    potentiel_fiscal_median_par_habitant: p.potentiel_fiscal_median_par_habitant,
  };
}
