/**
 * Where an aid, a financer and a logged search sit, and who reviews or reads them (decision 0009).
 *
 * An aid belongs to the département of its financer organisation; when the financer has none (a
 * national or regional body, or an aid imported from aides-territoires), to the départements its
 * perimeter covers: a département its own, an EPCI or a commune theirs, a region its départements,
 * the whole country every département. The DDTM of those départements reviews, publishes, sends
 * back and confirms it; published and expired aids stay public everywhere.
 * A search sits where its perimeter filter points (a search without one: every département).
 */
import { sql, type SQL } from 'drizzle-orm';
import { column, computed, definePolicy, rules } from '../../lib/policy.js';

/** Every département known to the instance (the loaded reference territory). */
const TOUS = sql`ARRAY(SELECT d.code FROM departements d)`;

/** The départements an aides-territoires perimeter covers, from its scale and code (text[]). */
export function departementsDuPerimetre(scale: SQL, code: SQL): SQL {
  return sql`(CASE
    WHEN lower(${scale}) IN ('département', 'departement') THEN ARRAY[upper(${code})]
    WHEN lower(${scale}) = 'commune' THEN ARRAY(SELECT c.departement FROM communes c WHERE c.code_insee = ${code})
    WHEN lower(${scale}) = 'epci' THEN ARRAY(SELECT DISTINCT c.departement FROM communes c WHERE c.epci_siren = ${code})
    WHEN lower(${scale}) IN ('région', 'region') THEN ARRAY(SELECT d.code FROM departements d WHERE d.region = ${code})
    WHEN lower(${scale}) IN ('pays', 'france') THEN ${TOUS}
    ELSE ARRAY[]::text[] END)`;
}

/** Financer's département first; else the perimeter's (alias `a` on `aides`). */
const DEPARTEMENTS_AIDE = sql`COALESCE(
  (SELECT ARRAY[og.departement] FROM organisations og WHERE og.id = a.organisation_id AND og.departement IS NOT NULL),
  ${departementsDuPerimetre(sql`a.perimeter_scale`, sql`a.perimeter_code`)})`;

/** The columns of an aid row the policy reads (`departements` comes from `aidePolicy.columns`). */
export interface AidePlacement {
  departements: string[];
  organisation_id: string | null;
  statut: string;
}

const publiques = rules.visibility('publiee', 'expiree');

export const aidePolicy = definePolicy<AidePlacement, 'read' | 'review' | 'own'>({
  introuvable: 'Aide introuvable.',
  sits: {
    departement: computed(DEPARTEMENTS_AIDE, 'departements', { many: true }),
    organisation: column('a.organisation_id', 'organisation_id', { uuid: true }),
    visibility: column('a.statut', 'statut'),
  },
  // Published aids of any perimeter are public, served départements or not.
  servedOnly: false,
  actions: {
    /** The sheet: public once published; drafts and aids under review for their financer and their DDTM. */
    read: {
      roles: {
        anonyme: publiques,
        admin: rules.anyOf(publiques, rules.served),
        agent_etat: rules.anyOf(publiques, rules.departement),
        agent_epci: publiques,
        commune: publiques,
        bailleur: publiques,
        financeur: rules.anyOf(publiques, rules.organisation),
        epf: publiques,
      },
    },
    /** Review, publication, sending back, confirmation, the review queue and the most viewed aids. */
    review: { permission: 'aides:review', roles: { admin: rules.served, agent_etat: rules.departement } },
    /** The financers' workspace: their organisation's aids. */
    own: { permission: 'aides:write', roles: { admin: rules.organisation, financeur: rules.organisation } },
  },
});

/** Financer organisations in the campaign (alias `o` on `organisations`): those of the département, and national bodies. */
export const financeurPolicy = definePolicy<{ departement: string | null }, 'campaign'>({
  introuvable: 'Financeur introuvable.',
  sits: { departement: column('o.departement', 'departement') },
  servedOnly: false,
  actions: {
    campaign: {
      permission: 'aides:review',
      roles: { admin: rules.anyOf(rules.served, rules.unplaced), agent_etat: rules.anyOf(rules.departement, rules.unplaced) },
    },
  },
});

/** The perimeter filter a search was logged with (v1: `perimetre`, aides-territoires API: `perimeter`). */
const PERIMETRE_RECHERCHE = sql`COALESCE(ar.filtres->>'perimetre', ar.filtres->>'perimeter')`;

/** A logged search's départements (alias `ar` on `aides_recherches`), from its perimeter's code. */
const DEPARTEMENTS_RECHERCHE = sql`(CASE
  WHEN ${PERIMETRE_RECHERCHE} IS NULL OR upper(${PERIMETRE_RECHERCHE}) IN ('FRA', 'FRANCE') THEN ${TOUS}
  WHEN ${PERIMETRE_RECHERCHE} ~ '^[0-9]{9}$' THEN ${departementsDuPerimetre(sql`'epci'`, PERIMETRE_RECHERCHE)}
  WHEN ${PERIMETRE_RECHERCHE} ~ '^[0-9][0-9AB][0-9]{3}$' THEN ${departementsDuPerimetre(sql`'commune'`, PERIMETRE_RECHERCHE)}
  ELSE ${departementsDuPerimetre(sql`'département'`, PERIMETRE_RECHERCHE)} END)`;

export const recherchePolicy = definePolicy<{ departements: string[] }, 'statistics'>({
  introuvable: 'Recherche introuvable.',
  sits: { departement: computed(DEPARTEMENTS_RECHERCHE, 'departements', { many: true }) },
  actions: { statistics: { permission: 'aides:review', roles: { admin: rules.served, agent_etat: rules.departement } } },
});
