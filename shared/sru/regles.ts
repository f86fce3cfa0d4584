/**
 * The SRU law (article 55 of loi n° 2000-1208, codified at L. 302-5 to L. 302-9-1 and R. 302-14 to
 * R. 302-26 of the Code de la construction et de l'habitation) as data: one entry per rule, with
 * the article, the version of the text that was read, the value and whether the value could be
 * confirmed from the stored sources. The engine (server/modules/sru/sru.calcul.ts) reads its
 * parameters from here only; a scenario overrides parameters, never this table.
 *
 * `confirme: false` means the value is what the text is believed to say but could NOT be checked
 * against a stored copy of the text: the note says what is missing. The UI shows it.
 * See docs/decisions/0012-sru-regles.md.
 */

export interface RegleSru {
  /** Stable identifier, used by results to say which rule produced a figure. */
  id: string;
  /** Short French label shown to users. */
  libelle: string;
  /** Article of the Code de la construction et de l'habitation (or other text). */
  article: string;
  /** The version of the text the value was read in (date of entry into force, amending text). */
  version: string;
  /** The value the engine uses (a number, or null for a rule that is a condition only). */
  valeur: number | null;
  /** Unit of `valeur`. */
  unite: 'taux' | 'habitants' | 'euros' | 'annees' | 'multiplicateur' | 'aucune';
  /** True when the value was read in a stored copy of the text or of an official page. */
  confirme: boolean;
  /** Where the value was read (addresses of the stored copies). */
  sources: string[];
  /** What the rule says, and, when not confirmed, what could not be checked. */
  note: string;
}

const LEGIFRANCE_L302_5 = 'https://circulaire.legifrance.gouv.fr/affichCodeArticle.do?cidTexte=LEGITEXT000006074096&idArticle=LEGIARTI000037670560';
const DOCTRINE_L302_8 = 'https://www.doctrine.fr/l/texts/codes/LEGITEXT000006074096/articles/LEGIARTI000006824725?version=LEGIARTI000045211201';
const LEGIFRANCE_R302 = 'https://circulaire.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006074096/LEGISCTA000006177490/';
const ECOLOGIE_MODE_EMPLOI = 'https://www.ecologie.gouv.fr/larticle-55-loi-solidarite-et-renouvellement-urbain-sru-mode-demploi';
const HAUTE_VIENNE_3DS = 'https://www.haute-vienne.gouv.fr/Actions-de-l-Etat/Amenagement-du-territoire-construction-logement/Habitat/La-Loi-3DS-perennise-et-conforte-les-objectifs-de-construction-de-logements-sociaux';
const ASH_3DS = 'https://ash.tm.fr/hebdo/3247/actualites-juridiques/larticle-55-de-la-loi-sru-perennise-au-prix-des-contrats-de-mixite-sociale-690007.php';
const SENAT_COM535 = 'http://senat.fr/amendements/commissions/2020-2021/588/Amdt_COM-535.html';
const SENAT_PLAFONDS = 'https://archive.nossenateurs.fr/intervention/1711498';
const SENAT_DSU = 'https://archive.nossenateurs.fr/intervention/1717646';
const L302_7_VERSION_2013 = 'Code de la construction et de l’habitation, art. L302-7, version issue de la loi n° 2013-61 du 18 janvier 2013 (copie Markdown du code indexée dans le corpus « code »)';
const AN_Q34384 = 'http://questions.assemblee-nationale.fr/q13/13-34384QE.htm';
const SEINE_ET_MARNE_DEDUCTIBLES = 'http://www.seine-et-marne.gouv.fr/Politiques-publiques/Habitat-et-renovation-urbaine/Logement-social/Obligation-de-production-de-logements-sociaux-Loi-SRU/Depenses-deductibles-du-prelevement';
const GAZETTE_EXEMPTIONS = 'https://www.lagazettedescommunes.com/878921/loi-sru-liste-des-communes-exemptees-pour-la-periode-triennale-2023-a-2025/';
const COHESION_SRU_2015 = 'https://www.cohesion-territoires.gouv.fr/sru/';
const NOSSENATEURS_CARENCE = 'https://archive.nossenateurs.fr/intervention/1025990';

export const REGLES_SRU = [
  // --- Subjection (L. 302-5 I) -------------------------------------------------------------
  {
    id: 'assujettissement.seuil_population',
    libelle: 'Seuil de population communale (hors unité urbaine de Paris)',
    article: 'CCH L302-5 I',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217 du 21 février 2022, art. 65)',
    valeur: 3500,
    unite: 'habitants',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: 'Communes d’au moins 3 500 habitants (population municipale, R302-14 I).',
  },
  {
    id: 'assujettissement.seuil_population_paris',
    libelle: 'Seuil de population communale dans l’unité urbaine de Paris',
    article: 'CCH L302-5 I',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217, art. 65)',
    valeur: 1500,
    unite: 'habitants',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: 'Le texte vise « l’unité urbaine de Paris » (et non toute l’Île-de-France, comme le disaient les versions antérieures).',
  },
  {
    id: 'assujettissement.seuil_agglomeration',
    libelle: 'Population de l’agglomération ou de l’EPCI à fiscalité propre',
    article: 'CCH L302-5 I',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217, art. 65)',
    valeur: 50000,
    unite: 'habitants',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: 'Agglomération (au sens du recensement) ou EPCI à fiscalité propre de plus de 50 000 habitants.',
  },
  {
    id: 'assujettissement.seuil_commune_centre',
    libelle: 'Commune de plus de 15 000 habitants dans l’agglomération ou l’EPCI',
    article: 'CCH L302-5 I',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217, art. 65)',
    valeur: 15000,
    unite: 'habitants',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: 'L’agglomération ou l’EPCI doit comprendre au moins une commune de plus de 15 000 habitants.',
  },
  {
    id: 'assujettissement.population_municipale',
    libelle: 'Population retenue : population municipale',
    article: 'CCH R302-14 I',
    version: 'en vigueur au 16 avril 2024',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [LEGIFRANCE_R302],
    note: 'La population est la population municipale définie à l’article R. 2151-1 du CGCT.',
  },
  {
    id: 'assujettissement.inventaire_annee_precedente',
    libelle: 'Logements sociaux et résidences principales au 1er janvier de l’année précédente',
    article: 'CCH L302-5 I',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217, art. 65)',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: 'Le taux compare le nombre de logements locatifs sociaux aux résidences principales au 1er janvier de l’année précédente.',
  },
  // --- Target rates (L. 302-5 I and II, R. 302-14 II) --------------------------------------
  {
    id: 'taux_cible.general',
    libelle: 'Taux cible de droit commun',
    article: 'CCH L302-5 I',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217, art. 65)',
    valeur: 0.25,
    unite: 'taux',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: '25 % des résidences principales.',
  },
  {
    id: 'taux_cible.reduit',
    libelle: 'Taux cible réduit (territoires listés par décret)',
    article: 'CCH L302-5 II',
    version: 'en vigueur depuis le 1er janvier 2023 (loi n° 2022-217, art. 65)',
    valeur: 0.2,
    unite: 'taux',
    confirme: true,
    sources: [LEGIFRANCE_L302_5],
    note: '20 % dans les agglomérations ou EPCI dont le parc ne justifie pas un effort de production supplémentaire ; liste fixée par décret au début de chaque période triennale.',
  },
  {
    id: 'taux_cible.critere_liste',
    libelle: 'Critère de la liste des territoires à 20 % : demandes / emménagements',
    article: 'CCH R302-14 II',
    version: 'en vigueur au 16 avril 2024',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [LEGIFRANCE_R302],
    note: 'Moyenne arithmétique de trois rapports annuels (demandes de logement social / emménagements hors mutations internes, données du SNE) ; seuil fixé par le décret de publication de la liste, qui peut différer là où s’applique la taxe sur les logements vacants. La valeur du seuil n’a pas été retrouvée dans les sources stockées : le taux cible est une donnée d’entrée de chaque commune (inventaire officiel).',
  },
  {
    id: 'taux_cible.communes_isolees',
    libelle: 'Communes « isolées » de plus de 15 000 habitants en croissance : 20 %',
    article: 'CCH L302-5 II',
    version: 'page ministérielle du 3 août 2023',
    valeur: 0.2,
    unite: 'taux',
    confirme: true,
    sources: [ECOLOGIE_MODE_EMPLOI],
    note: 'Communes de plus de 15 000 habitants en croissance démographique de plus de 5 %, hors des territoires précités, dont le marché justifie un effort : 20 %. La croissance n’est pas une entrée du calcul : ces communes arrivent avec leur taux cible de l’inventaire.',
  },
  // --- Exemptions (L. 302-5 III) and what counts (L. 302-5 IV) -------------------------------
  {
    id: 'exemption.decret',
    libelle: 'Exemption par décret (territoires peu tendus, isolement, inconstructibilité)',
    article: 'CCH L302-5 III',
    version: 'décret pour la période 2023-2025 (juillet 2023)',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [GAZETTE_EXEMPTIONS],
    note: 'Les communes exemptées pour la période triennale sont listées par décret ; une commune marquée « exemptee » n’a ni objectif ni prélèvement.',
  },
  {
    id: 'decompte.logements_sociaux',
    libelle: 'Logements retenus dans le décompte',
    article: 'CCH L302-5 IV',
    version: 'page ministérielle du 3 août 2023',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [ECOLOGIE_MODE_EMPLOI],
    note: 'Logements sociaux ; logements sociaux vendus à leur occupant (10 ans au plus) ; PSLA (phase locative et 5 ans après la levée d’option) ; BRS. Le nombre arrive déjà décompté (inventaire officiel).',
  },
  // --- Triennial objective (L. 302-8) -------------------------------------------------------
  {
    id: 'objectif.periodes_triennales',
    libelle: 'Périodes triennales à compter du 1er janvier 2002',
    article: 'CCH L302-8 I',
    version: 'en vigueur depuis le 23 février 2022 (loi n° 2022-217, art. 68)',
    valeur: 3,
    unite: 'annees',
    confirme: true,
    sources: [DOCTRINE_L302_8],
    note: 'Le préfet notifie un objectif de réalisation par période triennale ; les périodes courent par tranches de trois ans depuis le 1er janvier 2002.',
  },
  {
    id: 'objectif.taux_rattrapage',
    libelle: 'Taux de rattrapage de droit commun : 33 % du déficit',
    article: 'CCH L302-8 VII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 0.33,
    unite: 'taux',
    confirme: true,
    sources: [HAUTE_VIENNE_3DS, ASH_3DS],
    note: 'Objectif triennal = 33 % des logements sociaux manquants pour atteindre le taux cible (pages de la préfecture de la Haute-Vienne et d’ASH sur la loi 3DS ; le texte même du VII n’a pas été retrouvé).',
  },
  {
    id: 'objectif.taux_rattrapage_proche_cible',
    libelle: 'Rattrapage porté à 50 % (taux entre cible − 4 points et cible − 2 points)',
    article: 'CCH L302-8 VII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 0.5,
    unite: 'taux',
    confirme: false,
    sources: [ASH_3DS],
    note: 'NON CONFIRMÉ : ASH indique seulement que « à mesure que les communes s’approchent de l’objectif, le taux est modulé ». Les bornes (4 et 2 points) et le taux (50 %) sont ceux que l’on croit lire dans la loi 3DS, sans copie stockée du texte.',
  },
  {
    id: 'objectif.taux_rattrapage_tres_proche_cible',
    libelle: 'Rattrapage porté à 100 % (taux à moins de 2 points de la cible)',
    article: 'CCH L302-8 VII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 1,
    unite: 'taux',
    confirme: false,
    sources: [ASH_3DS],
    note: 'NON CONFIRMÉ : voir la règle précédente ; la borne de 2 points et le taux de 100 % n’ont pas été retrouvés dans une source stockée.',
  },
  {
    id: 'objectif.ecart_points_50',
    libelle: 'Écart au taux cible ouvrant le rattrapage à 50 %',
    article: 'CCH L302-8 VII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 0.04,
    unite: 'taux',
    confirme: false,
    sources: [ASH_3DS],
    note: 'NON CONFIRMÉ : 4 points de pourcentage.',
  },
  {
    id: 'objectif.ecart_points_100',
    libelle: 'Écart au taux cible ouvrant le rattrapage à 100 %',
    article: 'CCH L302-8 VII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 0.02,
    unite: 'taux',
    confirme: false,
    sources: [ASH_3DS],
    note: 'NON CONFIRMÉ : 2 points de pourcentage.',
  },
  {
    id: 'objectif.nouvelle_commune_p1',
    libelle: 'Commune nouvellement soumise : 1re période triennale',
    article: 'CCH L302-8 VIII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 0.15,
    unite: 'taux',
    confirme: false,
    sources: ['https://2017-2022.nosdeputes.fr/15/intervention/1144191'],
    note: 'NON CONFIRMÉ : rattrapage progressif des communes nouvellement soumises (15 %, 25 %, puis droit commun). Seule une intervention parlementaire de 2021 proposant « 15 %, 25 % et 30 % » a été trouvée ; le texte adopté n’a pas été retrouvé.',
  },
  {
    id: 'objectif.nouvelle_commune_p2',
    libelle: 'Commune nouvellement soumise : 2e période triennale',
    article: 'CCH L302-8 VIII',
    version: 'loi n° 2022-217 du 21 février 2022 (3DS), art. 68',
    valeur: 0.25,
    unite: 'taux',
    confirme: false,
    sources: ['https://2017-2022.nosdeputes.fr/15/intervention/1144191'],
    note: 'NON CONFIRMÉ : voir la 1re période. À partir de la 3e période, le taux de droit commun (33 %) s’applique.',
  },
  {
    id: 'objectif.arrondi',
    libelle: 'Arrondi de l’objectif à l’entier supérieur',
    article: 'pratique administrative',
    version: '—',
    valeur: null,
    unite: 'aucune',
    confirme: false,
    sources: [],
    note: 'NON CONFIRMÉ : convention d’Atelier. Les objectifs en logements sont arrondis à l’entier supérieur, le minimum PLAI à l’entier supérieur et le maximum PLS à l’entier inférieur ; le texte ne fixe pas l’arrondi.',
  },
  {
    id: 'typologie.pls_max',
    libelle: 'Part maximale de PLS dans l’objectif',
    article: 'CCH L302-8 III',
    version: 'en vigueur depuis le 23 février 2022 (loi n° 2022-217, art. 68)',
    valeur: 0.3,
    unite: 'taux',
    confirme: true,
    sources: [DOCTRINE_L302_8],
    note: 'Les logements financés en PLS ne peuvent dépasser 30 % des logements sociaux à produire.',
  },
  {
    id: 'typologie.plai_min',
    libelle: 'Part minimale de PLAI dans l’objectif',
    article: 'CCH L302-8 III',
    version: 'en vigueur depuis le 23 février 2022 (loi n° 2022-217, art. 68)',
    valeur: 0.3,
    unite: 'taux',
    confirme: true,
    sources: [DOCTRINE_L302_8],
    note: 'Les logements financés en PLAI sont au moins égaux à 30 % des logements sociaux à produire.',
  },
  {
    id: 'typologie.pls_max_sans_plh',
    libelle: 'PLS limités à 20 % (moins de 10 % de logements sociaux et pas de PLH)',
    article: 'CCH L302-8 III',
    version: 'en vigueur depuis le 23 février 2022 (loi n° 2022-217, art. 68)',
    valeur: 0.2,
    unite: 'taux',
    confirme: true,
    sources: [DOCTRINE_L302_8],
    note: 'Si la part de logements sociaux est inférieure à 10 % des résidences principales et que la commune n’est pas couverte par un PLH, les PLS ne peuvent dépasser 20 %.',
  },
  {
    id: 'typologie.seuil_part_lls_sans_plh',
    libelle: 'Part de logements sociaux sous laquelle la limite de 20 % de PLS s’applique',
    article: 'CCH L302-8 III',
    version: 'en vigueur depuis le 23 février 2022 (loi n° 2022-217, art. 68)',
    valeur: 0.1,
    unite: 'taux',
    confirme: true,
    sources: [DOCTRINE_L302_8],
    note: '10 % des résidences principales.',
  },
  // --- Levy (L. 302-7) ----------------------------------------------------------------------
  {
    id: 'prelevement.taux_potentiel_fiscal',
    libelle: 'Prélèvement : 25 % du potentiel fiscal par habitant par logement manquant',
    article: 'CCH L302-7',
    version: 'taux porté de 20 % à 25 % par la loi n° 2017-86 du 27 janvier 2017 (Égalité et citoyenneté)',
    valeur: 0.25,
    unite: 'taux',
    confirme: true,
    sources: [SENAT_COM535, 'https://2012-2017.nosdeputes.fr/14/intervention/979088'],
    note: 'Prélèvement brut = 25 % × potentiel fiscal par habitant (CGCT L2334-4) × (taux cible × résidences principales − logements sociaux). Le texte consolidé actuel n’a pas été lu ; la formule en vigueur est citée par l’amendement du Sénat COM-535 (29 juin 2021), et le passage de 20 % à 25 % par l’amendement de 2016. La version de 2013 lue (20 %) est conservée pour mémoire.',
  },
  {
    id: 'prelevement.plafond_drf',
    libelle: 'Plafond : 5 % des dépenses réelles de fonctionnement',
    article: 'CCH L302-7',
    version: `${L302_7_VERSION_2013} ; formule citée comme en vigueur en 2021 (amendement Sénat COM-535)`,
    valeur: 0.05,
    unite: 'taux',
    confirme: true,
    sources: [L302_7_VERSION_2013, SENAT_COM535, COHESION_SRU_2015],
    note: 'Le prélèvement hors majoration ne peut excéder 5 % des dépenses réelles de fonctionnement du compte administratif du pénultième exercice.',
  },
  {
    id: 'prelevement.seuil_minimum',
    libelle: 'Pas de prélèvement en dessous de 4 000 €',
    article: 'CCH L302-7',
    version: L302_7_VERSION_2013,
    valeur: 4000,
    unite: 'euros',
    confirme: true,
    sources: [L302_7_VERSION_2013],
    note: 'Le prélèvement n’est pas effectué s’il est inférieur à 4 000 €. Dans le texte, ce seuil vient après le plafond et avant la déduction des dépenses : Atelier l’applique au prélèvement brut plafonné.',
  },
  {
    id: 'prelevement.exoneration_dsu',
    libelle: 'Exonération des communes bénéficiaires de la DSU',
    article: 'CCH L302-7',
    version: 'loi n° 2013-61 du 18 janvier 2013 (débat au Sénat)',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [SENAT_DSU, L302_7_VERSION_2013],
    note: 'Les communes bénéficiaires de la dotation de solidarité urbaine et de cohésion sociale sont exonérées lorsque leurs logements sociaux dépassent 15 % des résidences principales (communes à 20 %) ou 20 % (communes à 25 %). Modifications postérieures à 2013 non vérifiées.',
  },
  {
    id: 'prelevement.exoneration_dsr_cible',
    libelle: 'Exonération des communes de la fraction cible de la DSR',
    article: 'CCH L302-7',
    version: 'réponse du Gouvernement à l’Assemblée nationale (16e législature)',
    valeur: null,
    unite: 'aucune',
    confirme: false,
    sources: ['https://nosdeputes.fr/16/intervention/533360'],
    note: 'NON CONFIRMÉ dans ses seuils : le Gouvernement cite l’exonération des communes bénéficiaires de la fraction cible de la dotation de solidarité rurale « sous réserve qu’elles disposent malgré tout d’une part minimale de logement social ». Atelier applique les seuils de la DSU (15 % / 20 %), sans texte lu.',
  },
  {
    id: 'prelevement.exoneration_nouvelle_commune',
    libelle: 'Pas de prélèvement pendant les trois premières années d’assujettissement',
    article: 'CCH L302-7 (premier alinéa)',
    version: 'depuis le 1er janvier 2015 (communes nouvelles) ; étendu par la loi n° 2017-86 (Égalité et citoyenneté)',
    valeur: 3,
    unite: 'annees',
    confirme: true,
    sources: [
      'https://blog.landot-avocats.net/2018/12/05/les-communes-nouvelles-pour-la-1e-fois-soumises-a-la-loi-sru-sont-exonerees-de-prelevement-pendant-3-ans/',
      'https://archive.nossenateurs.fr/intervention/1717459',
      'https://2012-2017.nosdeputes.fr/14/intervention/990398',
    ],
    note: 'Une commune soumise pour la première fois est exonérée du prélèvement pendant trois ans (communes nouvelles depuis 2015 ; toute commune nouvellement soumise selon le projet de loi Égalité et citoyenneté, art. 29, débattu au Sénat). Atelier l’applique à la première période triennale d’assujettissement (« periode_depuis_assujettissement » = 1), ce qui suppose un assujettissement au 1er janvier du début de période.',
  },
  {
    id: 'prelevement.seuil_dsu_cible_20',
    libelle: 'Seuil DSU pour une commune à 20 %',
    article: 'CCH L302-7',
    version: 'loi n° 2013-61 du 18 janvier 2013',
    valeur: 0.15,
    unite: 'taux',
    confirme: true,
    sources: [SENAT_DSU],
    note: '15 % des résidences principales.',
  },
  {
    id: 'prelevement.seuil_dsu_cible_25',
    libelle: 'Seuil DSU pour une commune à 25 %',
    article: 'CCH L302-7',
    version: 'loi n° 2013-61 du 18 janvier 2013',
    valeur: 0.2,
    unite: 'taux',
    confirme: true,
    sources: [SENAT_DSU],
    note: '20 % des résidences principales.',
  },
  {
    id: 'prelevement.depenses_deductibles',
    libelle: 'Dépenses déductibles (subventions foncières, viabilisation, moins-values…)',
    article: 'CCH L302-7 ; R302-16 à R302-19',
    version: L302_7_VERSION_2013,
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [L302_7_VERSION_2013, SEINE_ET_MARNE_DEDUCTIBLES],
    note: 'Le prélèvement est diminué des dépenses exposées par la commune en faveur du logement social (subventions foncières, travaux de viabilisation, dépollution, fouilles, moins-values de cession, intermédiation locative dans une limite…). Les montants arrivent déjà admis.',
  },
  {
    id: 'prelevement.delai_deduction',
    libelle: 'Dépenses du pénultième exercice (délai de deux ans)',
    article: 'CCH L302-7',
    version: L302_7_VERSION_2013,
    valeur: 2,
    unite: 'annees',
    confirme: true,
    sources: [L302_7_VERSION_2013],
    note: 'Sont déduites du prélèvement de l’année N les dépenses exposées pendant le pénultième exercice (N − 2).',
  },
  {
    id: 'prelevement.report_deductions',
    libelle: 'Report des dépenses déductibles sur plusieurs années',
    article: 'CCH R302-16-1',
    version: 'décret n° 2007-743 du 9 mai 2007',
    valeur: null,
    unite: 'aucune',
    confirme: true,
    sources: [AN_Q34384],
    note: 'La part non déduite peut être reportée quand les logements produits dépassent deux fois le tiers de l’obligation triennale. Le report n’est pas calculé : la dépense dépassant le prélèvement est signalée comme « excédent » dans le détail.',
  },
  // --- Carence (L. 302-9-1) -----------------------------------------------------------------
  {
    id: 'carence.majoration_max',
    libelle: 'Majoration en carence : jusqu’à cinq fois le prélèvement',
    article: 'CCH L302-9-1',
    version: 'loi n° 2013-61 du 18 janvier 2013 (débat en séance)',
    valeur: 5,
    unite: 'multiplicateur',
    confirme: true,
    sources: [NOSSENATEURS_CARENCE],
    note: 'L’arrêté de carence peut majorer le prélèvement ; le taux de majoration est fixé par l’arrêté, dans la limite de cinq fois le prélèvement (source parlementaire, texte non lu). Le taux de la commune est une donnée d’entrée. La majoration est calculée sur le prélèvement brut ; Atelier ne lui impute pas les dépenses déductibles (la page ministérielle de 2015 parle d’une « majoration nette » versée au FNAP, dont le calcul n’a pas été vérifié).',
  },
  {
    id: 'carence.plafond_drf',
    libelle: 'Plafond du prélèvement majoré : 5 % des dépenses réelles de fonctionnement',
    article: 'CCH L302-9-1',
    version: 'page ministérielle « SRU » (2015) ; cité en séance au Sénat (2016)',
    valeur: 0.05,
    unite: 'taux',
    confirme: true,
    sources: [COHESION_SRU_2015, SENAT_PLAFONDS],
    note: 'Le prélèvement brut total (prélèvement hors majoration + majoration) est plafonné à 5 % des dépenses réelles de fonctionnement. Le projet de loi de 2012 proposait 10 % pour les communes riches ; la page ministérielle de 2015 et le Sénat en 2016 citent 7,5 %. Modifications après 2016 non vérifiées.',
  },
  {
    id: 'carence.plafond_drf_riche',
    libelle: 'Plafond du prélèvement majoré porté à 7,5 % (communes les plus riches)',
    article: 'CCH L302-9-1',
    version: 'page ministérielle « SRU » (2015) ; cité en séance au Sénat (2016)',
    valeur: 0.075,
    unite: 'taux',
    confirme: true,
    sources: [COHESION_SRU_2015, SENAT_PLAFONDS],
    note: '7,5 % pour les communes dont le potentiel fiscal par habitant est au moins égal à 150 % du potentiel fiscal médian des communes soumises au prélèvement.',
  },
  {
    id: 'carence.ratio_potentiel_median',
    libelle: 'Communes « les plus riches » : potentiel fiscal ≥ 150 % du médian',
    article: 'CCH L302-9-1',
    version: 'page ministérielle « SRU » (2015) ; cité en séance au Sénat (2016)',
    valeur: 1.5,
    unite: 'multiplicateur',
    confirme: true,
    sources: [COHESION_SRU_2015, SENAT_PLAFONDS],
    note: '150 % du potentiel fiscal médian par habitant des communes soumises au prélèvement ; appliqué seulement si le médian est fourni dans les paramètres du calcul.',
  },
] as const satisfies readonly RegleSru[];

export type RegleSruId = (typeof REGLES_SRU)[number]['id'];

const PAR_ID = new Map<string, RegleSru>(REGLES_SRU.map((r) => [r.id, r]));

/** The rule with this id (throws on an unknown id: ids are checked by the type system). */
export function regle(id: RegleSruId): RegleSru {
  return PAR_ID.get(id)!;
}

/** The numeric value of a rule. */
export function valeurRegle(id: RegleSruId): number {
  const v = regle(id).valeur;
  if (v === null) throw new Error(`Rule ${id} has no value`);
  return v;
}
