/**
 * The eligibility simulator: request and response contracts (zod, shared by the API, the public
 * page and the docs) and the pure computation from the ceilings as data.
 */
import { z } from 'zod';
import { codeInsee } from '../identifiants.js';
import { categorieMenage, type Menage } from './categorie.js';
import { ANNEES, ARRETE_1987, colonnePls, montant, findPlafonds, PRODUITS, ZONE_LIBELLES, ZONES, type Produit, type Zone } from './plafonds.js';

const booleanField = (champ: string) =>
  z
    .enum(['true', 'false', '1', '0', 'on'], `${champ} : true ou false attendu.`)
    .optional()
    .transform((v) => v === 'true' || v === '1' || v === 'on');

const integerField = (champ: string, min: number, max: number) =>
  z.coerce
    .number(`${champ} : un nombre est attendu.`)
    .int(`${champ} : un nombre entier est attendu.`)
    .min(min, `${champ} : ${min} au minimum.`)
    .max(max, `${champ} : ${max} au maximum.`);

/** GET /api/v1/public/eligibilite query. */
export const eligibiliteQuery = z.object({
  /** Code INSEE of the commune where the dwelling is sought. */
  commune: codeInsee,
  /** Every person to be housed, dependants included. */
  personnes: integerField('personnes (nombre de personnes à loger)', 1, 30),
  /** Of which dependants. */
  personnes_a_charge: integerField('personnes_a_charge (personnes à charge)', 0, 29).default(0),
  /** Revenu fiscal de référence of year N-2 of the household, in euros. */
  revenu_fiscal: z.coerce
    .number('revenu_fiscal : un montant en euros est attendu.')
    .finite('revenu_fiscal : un montant en euros est attendu.')
    .min(0, 'revenu_fiscal : le revenu fiscal de référence ne peut pas être négatif.')
    .max(100_000_000, 'revenu_fiscal : montant trop élevé.'),
  /** Year of the application (the ceilings in force on 1 January); defaults to the current year. */
  annee: integerField('annee (année de la demande)', 1900, 2200).optional(),
  /** At least one person holds the carte mobilité inclusion "invalidité". */
  handicap: booleanField('handicap'),
  /** A couple whose ages add up to 55 at most, without dependants. */
  jeune_menage: booleanField('jeune_menage'),
});
export type EligibiliteQuery = z.infer<typeof eligibiliteQuery>;

const byProduit = <T extends z.ZodTypeAny>(t: T) => z.object({ PLAI: t, PLUS: t, PLS: t });

export const eligibiliteReponse = z.object({
  commune: z.object({ code_insee: z.string(), nom: z.string() }),
  annee: z.number().int(),
  /** 1 to 6 (arrêté du 29 juillet 1987, article 2). */
  categorie: z.number().int().min(1).max(6),
  /** Persons counted beyond category 6. */
  personnes_supplementaires: z.number().int().min(0),
  zone: z.enum(ZONES),
  zone_libelle: z.string(),
  revenu_fiscal: z.number(),
  /** Annual ceilings in euros; `null` where no official figure is loaded (PLAI, see decision 0013). */
  plafonds: byProduit(z.number().int().nullable()),
  /** Income ≤ ceiling; `null` where the ceiling is not available. */
  eligible: byProduit(z.boolean().nullable()),
  /** Why this category, and what the result means, in plain French. */
  explication: z.array(z.string()),
  source: z.object({
    texte: z.string(),
    url: z.string(),
    jorf: z.string().nullable(),
    annexe_url: z.string(),
    arrete_de_base: z.object({ texte: z.string(), url: z.string() }),
  }),
});
export type EligibiliteReponse = z.infer<typeof eligibiliteReponse>;

export const formatEuros = (n: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(n).replace(/\u202f/g, '\u00a0')}\u00a0€`;

/** The year used when none is given: the current one when its ceilings are loaded, else the latest. */
export function defaultAnnee(aujourdhui = new Date()): number {
  const y = aujourdhui.getFullYear();
  return ANNEES.includes(y) ? y : Math.max(...ANNEES.filter((a) => a <= y), Math.min(...ANNEES));
}

export interface Simulation {
  commune: { code_insee: string; nom: string };
  zone: Zone;
  annee: number;
  menage: Menage;
  revenuFiscal: number;
}

/**
 * Computes the answer; `undefined` when no ceilings are loaded for that year. Income equal to the
 * ceiling is eligible (the ceilings are maxima: "ne doit pas dépasser").
 */
export function simuler(s: Simulation): EligibiliteReponse | undefined {
  const bareme = findPlafonds(s.annee);
  if (!bareme) return undefined;
  const cat = categorieMenage(s.menage);
  const plusColonne = bareme.PLUS[s.zone];
  const plafonds: Record<Produit, number | null> = {
    PLAI: bareme.PLAI ? montant(bareme.PLAI[s.zone], cat.rang) : null,
    PLUS: montant(plusColonne, cat.rang),
    PLS: montant(colonnePls(plusColonne), cat.rang),
  };
  const eligible = Object.fromEntries(PRODUITS.map((p) => [p, plafonds[p] === null ? null : s.revenuFiscal <= plafonds[p]!])) as Record<Produit, boolean | null>;

  const explication = [
    `Votre ménage relève de la catégorie ${cat.categorie} : ${cat.motif}.` +
      (cat.personnesSupplementaires > 0 ? ` Au-delà de la catégorie 6, ${cat.personnesSupplementaires} personne(s) supplémentaire(s) augmentent le plafond.` : ''),
    ...cat.remarques,
    `La commune ${s.commune.nom} est dans la zone « ${ZONE_LIBELLES[s.zone]} ».`,
    `Les plafonds ${s.annee} s’appliquent au revenu fiscal de référence ${s.annee - 2} (avis d’impôt ${s.annee - 1}) de toutes les personnes à loger.`,
  ];
  if (eligible.PLUS) explication.push(`Avec ${formatEuros(s.revenuFiscal)}, vos revenus ne dépassent pas le plafond PLUS (${formatEuros(plafonds.PLUS!)}) : vous pouvez demander un logement social HLM.`);
  else if (eligible.PLS)
    explication.push(`Avec ${formatEuros(s.revenuFiscal)}, vos revenus dépassent le plafond PLUS (${formatEuros(plafonds.PLUS!)}) mais pas le plafond PLS (${formatEuros(plafonds.PLS!)}) : seuls les logements financés en PLS vous sont ouverts.`);
  else explication.push(`Avec ${formatEuros(s.revenuFiscal)}, vos revenus dépassent le plafond PLS (${formatEuros(plafonds.PLS!)}) : les logements sociaux ne vous sont pas ouverts.`);
  if (plafonds.PLAI === null) explication.push(`Le plafond PLAI ${s.annee} n’est pas encore chargé depuis une source officielle : il n’est pas affiché.`);
  explication.push('Si vos revenus ont baissé d’au moins 10 % depuis, le bailleur peut retenir vos revenus de l’année précédente ou des 12 derniers mois.');

  return {
    commune: s.commune,
    annee: s.annee,
    categorie: cat.categorie,
    personnes_supplementaires: cat.personnesSupplementaires,
    zone: s.zone,
    zone_libelle: ZONE_LIBELLES[s.zone],
    revenu_fiscal: s.revenuFiscal,
    plafonds,
    eligible,
    explication,
    source: {
      texte: bareme.texte.titre,
      url: bareme.texte.url,
      jorf: bareme.texte.jorf,
      annexe_url: bareme.annexeUrl,
      arrete_de_base: { texte: ARRETE_1987.titre, url: ARRETE_1987.url },
    },
  };
}
