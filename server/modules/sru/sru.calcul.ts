/**
 * The SRU engine: pure functions, no database. For each commune: subject or not and why, target
 * rate, rate of social dwellings, deficit, triennial objective (with PLAI minimum and PLS maximum),
 * gross and net levy with the detail of the computation; every figure lists the rules that produced
 * it. Scenarios are parameter sets over the same rules (sru.parametres.ts); results are aggregated
 * per EPCI and département beside the current law. Rules and sources: shared/sru/regles.ts.
 */
import type { CalculReponse, CommuneCalcul, ResultatCommune, ScenarioCalcul, Totaux } from '../../../shared/sru/calcul.contract.js';
import { parametresDuDroit, parametresDuScenario, parametresPublies, sourceParametre, sourceRegle, type Parametres, type RegleAppliquee } from './sru.parametres.js';

const arrondi = (x: number, decimales = 2) => {
  const f = 10 ** decimales;
  return Math.round(x * f) / f;
};
/** Ceil/floor that ignore binary noise (0.33 × 300 = 99.00000000000001 must give 99). */
const plafondEntier = (x: number) => Math.ceil(arrondi(x, 6));
const planchierEntier = (x: number) => Math.floor(arrondi(x, 6));
/** One formatter for all (toLocaleString builds a new one per call: seconds over 35,000 communes). */
const FORMAT_FR = new Intl.NumberFormat('fr-FR');
const fr = (n: number) => FORMAT_FR.format(n);
const pct = (t: number) => `${FORMAT_FR.format(arrondi(t * 100, 2))} %`;

/** Département of a commune: given, or the first two (overseas: three) characters of its code. */
export function departementDe(c: Pick<CommuneCalcul, 'code_insee' | 'code_departement'>): string {
  return c.code_departement ?? (c.code_insee.startsWith('97') ? c.code_insee.slice(0, 3) : c.code_insee.slice(0, 2));
}

class Traces {
  private vus = new Set<string>();
  readonly liste: RegleAppliquee[] = [];
  add(r: RegleAppliquee) {
    if (this.vus.has(r.id)) return;
    this.vus.add(r.id);
    this.liste.push(r);
  }
}

interface Assujettissement {
  soumise: boolean;
  motif: string;
}

/** L302-5 I and III: is the commune within the scope of the law (or of the scenario's geography)? */
export function assujettissement(c: CommuneCalcul, p: Parametres, t: Traces): Assujettissement {
  if (c.exemptee) {
    t.add(sourceRegle('exemption.decret'));
    return { soumise: false, motif: 'Exemptée par décret pour la période triennale (L302-5 III).' };
  }
  if (p.sans_seuils_population) {
    t.add(sourceParametre(p, 'sans_seuils_population'));
    return { soumise: true, motif: 'Dans le champ : le scénario supprime les seuils de population communale et intercommunale.' };
  }
  const paris = c.unite_urbaine_paris === true;
  const cle = paris ? 'seuil_population_paris' : 'seuil_population';
  const seuil = p.valeurs[cle];
  t.add(sourceParametre(p, cle));
  t.add(sourceRegle('assujettissement.population_municipale'));
  // « au moins égale à » : a commune exactly at the threshold is subject.
  if (c.population < seuil) {
    return { soumise: false, motif: `Hors champ : population municipale de ${fr(c.population)} habitants, inférieure au seuil de ${fr(seuil)}${paris ? ' (unité urbaine de Paris)' : ''}.` };
  }
  t.add(sourceParametre(p, 'seuil_agglomeration'));
  t.add(sourceRegle('assujettissement.seuil_commune_centre'));
  const agglo = p.valeurs.seuil_agglomeration;
  if (c.population_agglomeration !== undefined && c.population_agglomeration <= agglo) {
    return { soumise: false, motif: `Hors champ : agglomération ou EPCI de ${fr(c.population_agglomeration)} habitants, pas plus de ${fr(agglo)}.` };
  }
  if (c.commune_plus_15000_dans_agglomeration === false) {
    return { soumise: false, motif: `Hors champ : aucune commune de plus de ${fr(p.valeurs.seuil_commune_centre)} habitants dans l’agglomération ou l’EPCI.` };
  }
  const critere =
    c.population_agglomeration === undefined || c.commune_plus_15000_dans_agglomeration === undefined
      ? ' ; critère d’agglomération ou d’EPCI supposé rempli (donnée non fournie, commune de l’inventaire SRU)'
      : ` ; agglomération ou EPCI de ${fr(c.population_agglomeration)} habitants avec une commune de plus de ${fr(p.valeurs.seuil_commune_centre)} habitants`;
  return { soumise: true, motif: `Dans le champ : population municipale de ${fr(c.population)} habitants, au moins ${fr(seuil)}${critere}.` };
}

/** The catch-up rate of the triennial objective (L302-8 VII and VIII). */
export function tauxRattrapage(c: CommuneCalcul, tauxCible: number, tauxLls: number, p: Parametres, t: Traces): number {
  if (c.periode_depuis_assujettissement === 1) {
    t.add(sourceRegle('objectif.nouvelle_commune_p1'));
    return p.valeurs.taux_nouvelle_p1;
  }
  if (c.periode_depuis_assujettissement === 2) {
    t.add(sourceRegle('objectif.nouvelle_commune_p2'));
    return p.valeurs.taux_nouvelle_p2;
  }
  const ecart = arrondi(tauxCible - tauxLls, 6);
  if (ecart <= p.valeurs.ecart_tres_proche) {
    t.add(sourceRegle('objectif.ecart_points_100'));
    t.add(sourceRegle('objectif.taux_rattrapage_tres_proche_cible'));
    return p.valeurs.taux_rattrapage_tres_proche;
  }
  if (ecart <= p.valeurs.ecart_proche) {
    t.add(sourceRegle('objectif.ecart_points_50'));
    t.add(sourceRegle('objectif.taux_rattrapage_proche_cible'));
    return p.valeurs.taux_rattrapage_proche;
  }
  t.add(sourceParametre(p, 'taux_rattrapage'));
  return p.valeurs.taux_rattrapage;
}

/** First pass: scope, target rate, rate and own deficit. */
interface Base {
  c: CommuneCalcul;
  t: Traces;
  soumise: boolean;
  motif: string;
  tauxCible: number;
  tauxLls: number;
  deficitPropre: number;
}

function base(c: CommuneCalcul, p: Parametres): Base {
  const t = new Traces();
  const { soumise, motif } = assujettissement(c, p, t);
  let tauxCible = c.taux_cible;
  if (p.taux_cible_unique !== null) {
    tauxCible = p.taux_cible_unique;
    t.add(sourceParametre(p, 'taux_cible_unique'));
  } else {
    t.add(sourceRegle(tauxCible === 0.2 ? 'taux_cible.reduit' : tauxCible === 0.25 ? 'taux_cible.general' : 'taux_cible.critere_liste'));
  }
  t.add(sourceRegle('assujettissement.inventaire_annee_precedente'));
  t.add(sourceRegle('decompte.logements_sociaux'));
  const tauxLls = c.residences_principales > 0 ? arrondi(c.lls / c.residences_principales, 6) : 0;
  const deficitPropre = soumise ? Math.max(0, arrondi(tauxCible * c.residences_principales - c.lls)) : 0;
  return { c, t, soumise, motif, tauxCible, tauxLls, deficitPropre };
}

/**
 * Pooling across an EPCI (scenario): the EPCI's deficit is Σ(target × main residences) − Σ social
 * dwellings over all its communes in scope, deficit or not; each deficit commune keeps the share of
 * it proportional to its own deficit. Communes without an EPCI are not pooled.
 */
export function deficitsMutualises(bases: Base[]): Map<Base, number> {
  const parEpci = new Map<string, Base[]>();
  for (const b of bases) {
    if (!b.soumise || !b.c.code_epci) continue;
    const l = parEpci.get(b.c.code_epci) ?? [];
    l.push(b);
    parEpci.set(b.c.code_epci, l);
  }
  const out = new Map<Base, number>();
  for (const membres of parEpci.values()) {
    const besoin = membres.reduce((s, b) => s + b.tauxCible * b.c.residences_principales, 0);
    const parc = membres.reduce((s, b) => s + b.c.lls, 0);
    const deficitEpci = Math.max(0, besoin - parc);
    const sommePropres = membres.reduce((s, b) => s + b.deficitPropre, 0);
    const facteur = sommePropres > 0 ? deficitEpci / sommePropres : 0;
    for (const b of membres) out.set(b, arrondi(b.deficitPropre * facteur));
  }
  return out;
}

function resultat(b: Base, deficit: number, p: Parametres): ResultatCommune {
  const { c, t } = b;
  const deficitaire = b.soumise && deficit > 0;
  // Triennial objective (L302-8).
  let objectif = { total: 0, plai_min: 0, pls_max: 0, taux_rattrapage: 0 };
  if (deficitaire) {
    const taux = tauxRattrapage(c, b.tauxCible, b.tauxLls, p, t);
    const total = plafondEntier(taux * deficit);
    const sansPlh = b.tauxLls < p.valeurs.seuil_part_lls_sans_plh && !c.couverte_plh;
    t.add(sourceRegle('typologie.plai_min'));
    t.add(sourceRegle(sansPlh ? 'typologie.pls_max_sans_plh' : 'typologie.pls_max'));
    t.add(sourceRegle('objectif.arrondi'));
    objectif = {
      total,
      plai_min: plafondEntier(p.valeurs.plai_min * total),
      pls_max: planchierEntier((sansPlh ? p.valeurs.pls_max_sans_plh : p.valeurs.pls_max) * total),
      taux_rattrapage: taux,
    };
  }
  // Levy (L302-7), then carence surcharge (L302-9-1).
  const d = {
    logements_manquants: deficitaire ? deficit : 0,
    taux_potentiel_fiscal: p.valeurs.taux_potentiel_fiscal,
    potentiel_fiscal_par_habitant: c.potentiel_fiscal_par_habitant,
    montant_formule: 0,
    plafond: 0,
    plafonne: false,
    sous_seuil: false,
    exoneration_dsu: false,
    exoneration_dsr_cible: false,
    exoneration_nouvelle_commune: false,
    depenses_deduites: 0,
    annee_depenses_deduites: null as number | null,
    excedent_depenses: 0,
    majoration_carence: 0,
  };
  let brut = 0;
  let net = 0;
  if (deficitaire) {
    t.add(sourceRegle('prelevement.taux_potentiel_fiscal'));
    d.montant_formule = arrondi(p.valeurs.taux_potentiel_fiscal * c.potentiel_fiscal_par_habitant * deficit);
    const seuilDsu = b.tauxCible >= 0.25 ? p.valeurs.seuil_dsu_cible_25 : p.valeurs.seuil_dsu_cible_20;
    if (c.beneficiaire_dsu) t.add(sourceRegle('prelevement.exoneration_dsu'));
    d.exoneration_dsu = c.beneficiaire_dsu === true && b.tauxLls > seuilDsu;
    if (c.beneficiaire_dsr_cible) t.add(sourceRegle('prelevement.exoneration_dsr_cible'));
    d.exoneration_dsr_cible = c.beneficiaire_dsr_cible === true && b.tauxLls > seuilDsu;
    if (d.exoneration_dsu || d.exoneration_dsr_cible) t.add(sourceRegle(b.tauxCible >= 0.25 ? 'prelevement.seuil_dsu_cible_25' : 'prelevement.seuil_dsu_cible_20'));
    d.exoneration_nouvelle_commune = c.periode_depuis_assujettissement === 1;
    if (d.exoneration_nouvelle_commune) t.add(sourceRegle('prelevement.exoneration_nouvelle_commune'));
    const exoneree = d.exoneration_dsu || d.exoneration_dsr_cible || d.exoneration_nouvelle_commune;
    t.add(sourceRegle('prelevement.plafond_drf'));
    d.plafond = arrondi(p.valeurs.plafond_drf * c.depenses_reelles_fonctionnement);
    d.plafonne = d.montant_formule > d.plafond;
    const plafonne = Math.min(d.montant_formule, d.plafond);
    t.add(sourceRegle('prelevement.seuil_minimum'));
    // « n'est pas effectué s'il est inférieur à 4 000 € » : exactly 4,000 € is levied.
    d.sous_seuil = !exoneree && plafonne < p.valeurs.seuil_minimum;
    brut = exoneree || d.sous_seuil ? 0 : arrondi(plafonne);
    // Deductible expenses of year N − delay.
    const annee = p.annee_prelevement - p.valeurs.delai_deduction_annees;
    const depenses = (c.depenses_deductibles ?? []).filter((x) => x.annee === annee).reduce((s, x) => s + x.montant, 0);
    if (c.depenses_deductibles?.length) {
      t.add(sourceRegle('prelevement.depenses_deductibles'));
      t.add(sourceParametre(p, 'delai_deduction_annees'));
      d.annee_depenses_deduites = annee;
    }
    d.depenses_deduites = arrondi(Math.min(depenses, brut));
    d.excedent_depenses = arrondi(depenses - d.depenses_deduites);
    if (d.excedent_depenses > 0) t.add(sourceRegle('prelevement.report_deductions'));
    net = arrondi(brut - d.depenses_deduites);
    // Carence (L302-9-1): the surcharge is a multiple of the gross levy; gross levy plus surcharge
    // stay under the carence cap (5 %, 7.5 % for the richest communes). Deductions reduce the
    // levy, not the surcharge (which goes to the FNAP).
    const majoration = c.taux_majoration_carence ?? 0;
    if (majoration > 0 && brut > 0) {
      const median = p.potentiel_fiscal_median_par_habitant;
      const riche = median !== null && c.potentiel_fiscal_par_habitant >= p.valeurs.ratio_potentiel_median * median;
      t.add(sourceRegle('carence.majoration_max'));
      t.add(sourceRegle(riche ? 'carence.plafond_drf_riche' : 'carence.plafond_drf'));
      if (riche) t.add(sourceRegle('carence.ratio_potentiel_median'));
      const plafondCarence = (riche ? p.valeurs.plafond_carence_riche : p.valeurs.plafond_carence) * c.depenses_reelles_fonctionnement;
      const taux = Math.min(majoration, p.valeurs.majoration_max - 1);
      d.majoration_carence = arrondi(Math.max(0, Math.min(brut * taux, plafondCarence - brut)));
      net = arrondi(net + d.majoration_carence);
    }
  }
  return {
    code_insee: c.code_insee,
    code_epci: c.code_epci ?? null,
    code_departement: departementDe(c),
    soumise: b.soumise,
    deficitaire,
    motif: deficitaire || !b.soumise ? b.motif : `${b.motif} Taux de ${pct(b.tauxLls)} au moins égal au taux cible de ${pct(b.tauxCible)} : pas de déficit.`,
    taux_cible: b.tauxCible,
    lls: c.lls,
    residences_principales: c.residences_principales,
    taux_lls: b.tauxLls,
    deficit: deficitaire ? deficit : 0,
    objectif_triennal: objectif,
    prelevement_brut: brut,
    prelevement: net,
    detail_prelevement: d,
    regles: t.liste,
  };
}

/** Computes every commune under one parameter set. */
export function calculerCommunes(communes: CommuneCalcul[], p: Parametres): ResultatCommune[] {
  const bases = communes.map((c) => base(c, p));
  const mutualises = p.mutualisation_epci ? deficitsMutualises(bases) : null;
  return bases.map((b) => {
    const pooled = mutualises?.get(b);
    if (pooled !== undefined) b.t.add(sourceParametre(p, 'mutualisation_epci'));
    return resultat(b, pooled ?? b.deficitPropre, p);
  });
}

const vide = (): Totaux => ({ communes: 0, soumises: 0, deficitaires: 0, deficit: 0, objectif_triennal: 0, prelevement_brut: 0, prelevement: 0 });

function ajouter(t: Totaux, r: ResultatCommune) {
  t.communes += 1;
  if (r.soumise) t.soumises += 1;
  if (r.deficitaire) t.deficitaires += 1;
  t.deficit = arrondi(t.deficit + r.deficit);
  t.objectif_triennal += r.objectif_triennal.total;
  t.prelevement_brut = arrondi(t.prelevement_brut + r.prelevement_brut);
  t.prelevement = arrondi(t.prelevement + r.prelevement);
}

/** Totals per key, for the current law and the scenario side by side. */
function comparer(droit: ResultatCommune[], scenario: ResultatCommune[], cle: (r: ResultatCommune) => string | null) {
  const m = new Map<string, { droit_actuel: Totaux; scenario: Totaux }>();
  const entree = (k: string) => m.get(k) ?? (m.set(k, { droit_actuel: vide(), scenario: vide() }), m.get(k)!);
  droit.forEach((r) => {
    const k = cle(r);
    if (k) ajouter(entree(k).droit_actuel, r);
  });
  scenario.forEach((r) => {
    const k = cle(r);
    if (k) ajouter(entree(k).scenario, r);
  });
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, v]) => ({ code, ...v }));
}

/**
 * The whole computation: each commune under the scenario (or the current law), and totals per EPCI,
 * département and overall for the current law beside the scenario.
 */
export function calculer(communes: CommuneCalcul[], scenario: ScenarioCalcul | undefined, annee: number): CalculReponse {
  const droit = parametresDuDroit(scenario?.annee_prelevement ?? annee);
  if (scenario?.potentiel_fiscal_median_par_habitant !== undefined) droit.potentiel_fiscal_median_par_habitant = scenario.potentiel_fiscal_median_par_habitant;
  const p = parametresDuScenario(scenario, annee);
  const resultatsDroit = calculerCommunes(communes, droit);
  const resultats = p.remplaces.size === 0 ? resultatsDroit : calculerCommunes(communes, p);
  const [total] = comparer(resultatsDroit, resultats, () => 'total');
  return {
    scenario: { libelle: p.libelle, parametres: parametresPublies(p) },
    resultats,
    agregats: {
      epci: comparer(resultatsDroit, resultats, (r) => r.code_epci),
      departements: comparer(resultatsDroit, resultats, (r) => r.code_departement),
      total: total ? { droit_actuel: total.droit_actuel, scenario: total.scenario } : { droit_actuel: vide(), scenario: vide() },
    },
  };
}
