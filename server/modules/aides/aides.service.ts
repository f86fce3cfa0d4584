/**
 * The catalogue's rules: public reading (published aids only), the financers' workspace (their own
 * aids, draft → review → published, statuses from shared/aides/statuts.ts), the DDTM's review,
 * campaign and statistics, counters, search log. Works on the transaction (or database handle) it is
 * given and never opens one; a broken rule throws a named domain error (server/lib/errors.ts).
 */
import { sql } from 'drizzle-orm';
import { AID_TYPES } from '../../../shared/aides/referentiel.js';
import { rows, textArray, type Db, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { notFound, ReferenceInconnue, RegleMetier, tooManyRequests, TransitionInterdite } from '../../lib/errors.js';
import { hitCounter } from '../../lib/rate-limit.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { transitionAide, type ActionAide } from '../../../shared/aides/statuts.js';
import type { StatutAide } from '../../../shared/aides/referentiel.js';
import { can } from '../../../shared/roles.js';
import { aidePolicy, financeurPolicy, recherchePolicy } from './aides.policy.js';
import { erreurTexte, parseCatalogue, type AideInput } from './aides.catalogue.js';
import { extraits } from './aides.extrait.js';
import { journalRecherches, type JournalRecherches } from './aides.journal.js';
import { moteurAides } from './aides.moteur.js';
import { perimetreCodes } from './aides.perimetre.js';
import { compterClicRecherche, ensureFinanceurs, refreshVectors, slugify } from './aides.repository.js';
import { invalidateVocabulaire, rechercher, texteJournal, type Filtres } from './aides.search.js';
import { surligner } from './aides.texte.js';

export interface AideRow {
  id: string;
  slug: string;
  source_id: string | null;
  name: string;
  short_title: string | null;
  financers: string[];
  instructors: string[];
  programs: string[];
  aid_types: string[];
  targeted_audiences: string[];
  perimeter_scale: string;
  perimeter_code: string;
  perimeter_name: string;
  categories: string[];
  description: string;
  eligibility: string;
  mobilization_steps: string[];
  recurrence: string | null;
  is_call_for_project: boolean;
  start_date: string | null;
  submission_deadline: string | null;
  subvention_rate_lower_bound: string | null;
  subvention_rate_upper_bound: string | null;
  loan_amount: string | null;
  origin_url: string | null;
  application_url: string | null;
  logement_social: boolean;
  operation_types: string[];
  produits: string[];
  conditions_territoriales: string[];
  confidence: string | null;
  statut: string;
  organisation_id: string | null;
  organisation_nom: string | null;
  confirmee_le: Date | string | null;
  publiee_le: Date | string | null;
  motif_renvoi: string | null;
  vues: number;
  clics: number;
  updated_at: Date | string;
  /** Set by the aides-territoires sync: the aid's id and page there (docs/decisions/0017). */
  at_id: string | null;
  at_url: string | null;
  /** Where the aid sits (aides.policy.ts); selected by the reads that check the policy. */
  departements?: string[];
}

const COLUMNS = sql`a.id, a.slug, a.source_id, a.name, a.short_title, a.financers, a.instructors, a.programs, a.aid_types, a.targeted_audiences,
  a.perimeter_scale, a.perimeter_code, a.perimeter_name, a.categories, a.description, a.eligibility, a.mobilization_steps, a.recurrence,
  a.is_call_for_project, a.start_date::text, a.submission_deadline::text, a.subvention_rate_lower_bound::text, a.subvention_rate_upper_bound::text,
  a.loan_amount::text, a.origin_url, a.application_url, a.logement_social, a.operation_types, a.produits, a.conditions_territoriales,
  a.confidence, a.statut, a.organisation_id, o.nom AS organisation_nom, a.confirmee_le, a.publiee_le, a.motif_renvoi, a.vues, a.clics, a.updated_at, a.at_id, a.at_url`;

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());
const numOrNull = (v: string | null) => (v == null ? null : Number(v));

/** The public shape of an aid (aides-territoires fields + Atelier's structured eligibility). */
export function presenter(a: AideRow, publicUrl: string) {
  return {
    id: a.source_id ?? a.id,
    uuid: a.id,
    slug: a.slug,
    url: `${publicUrl}/aides/${a.slug}`,
    name: a.name,
    short_title: a.short_title,
    financers: a.financers,
    instructors: a.instructors,
    programs: a.programs,
    aid_types: a.aid_types,
    targeted_audiences: a.targeted_audiences,
    perimeter: { scale: a.perimeter_scale, code: a.perimeter_code, name: a.perimeter_name },
    categories: a.categories,
    description: a.description,
    eligibility: a.eligibility,
    mobilization_steps: a.mobilization_steps,
    recurrence: a.recurrence,
    is_call_for_project: a.is_call_for_project,
    start_date: a.start_date,
    submission_deadline: a.submission_deadline,
    subvention_rate_lower_bound: numOrNull(a.subvention_rate_lower_bound),
    subvention_rate_upper_bound: numOrNull(a.subvention_rate_upper_bound),
    loan_amount: numOrNull(a.loan_amount),
    origin_url: a.origin_url,
    application_url: a.application_url,
    logement_social: a.logement_social ? { operation_types: a.operation_types, produits: a.produits, conditions: a.conditions_territoriales } : null,
    confidence: a.confidence,
    statut: a.statut,
    organisation: a.organisation_id ? { id: a.organisation_id, nom: a.organisation_nom } : null,
    confirmee_le: iso(a.confirmee_le),
    date_updated: iso(a.updated_at),
    aides_territoires: a.at_url ? { id: a.at_id, url: a.at_url } : null,
  };
}

export async function loadBySlugs(db: Executor, slugs: string[]): Promise<AideRow[]> {
  if (!slugs.length) return [];
  return rows<AideRow>(db, sql`SELECT ${COLUMNS} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.slug = ANY(${textArray(slugs)})`);
}

/** One aid with where it sits (its départements), for the policy's record check. */
async function loadPlaced(db: Executor, slug: string): Promise<AideRow | undefined> {
  const [a] = await rows<AideRow>(db, sql`SELECT ${COLUMNS}, ${aidePolicy.columns} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.slug = ${slug}`);
  return a;
}

/**
 * One aid: published and expired aids are public; drafts and aids in review only for their
 * financer and the DDTM of their département (aides.policy.ts; else 404).
 */
export async function getAide(db: Executor, p: Principal | undefined, slug: string, configured: readonly string[]): Promise<AideRow> {
  return aidePolicy.visibleOr404(await loadPlaced(db, slug), p, configured, 'read');
}

export async function compterVue(db: Executor, id: string): Promise<void> {
  await db.execute(sql`UPDATE aides SET vues = vues + 1 WHERE id = ${id}::uuid`);
}

/** An aid's sheet, read by someone: a view of a published aid counts, unless its own financer reads it. */
export async function ficheAide(db: Executor, p: Principal | undefined, slug: string, configured: readonly string[]): Promise<AideRow> {
  const a = await getAide(db, p, slug, configured);
  if (a.statut === 'publiee' && a.organisation_id !== p?.organisationId) await compterVue(db, a.id);
  return a;
}

/** A click on an aid's link in search results (or its origin/application link). */
/** Clicks counted per client address and window; past it, 429 (a person reads far fewer aids). */
export const CLICS_PAR_ADRESSE = 60;
const CLICS_FENETRE_MS = 10 * 60_000;
/** How long after a search its results' clicks count. */
const CLIC_DELAI_RECHERCHE = '1 hour';

/**
 * Counts a click from the results of search `rechercheId` towards a published aid (issue 19: the
 * DDTM's statistics must not be inflated by anyone). The search must exist, be less than an hour
 * old and have found something; every request counts against the caller's address. An invalid
 * search gets one message whatever the reason. (Whether that search's results held this aid is not
 * checked: the log keeps the query, not the results, and replaying it would cost a search.)
 */
export async function compterClic(db: Executor, journal: JournalRecherches, slug: string, rechercheId: number, adresse: string): Promise<void> {
  // Every request counts, accepted or not: the counter is written outside any transaction.
  if ((await hitCounter(db, `clic:ip:${adresse}`, CLICS_FENETRE_MS)) > CLICS_PAR_ADRESSE) {
    throw tooManyRequests('Trop de clics enregistrés depuis votre adresse : réessayez dans quelques minutes.');
  }
  // The search's row may still be waiting to be written on this instance.
  await journal.vider();
  const r = await compterClicRecherche(db, slug, rechercheId, CLIC_DELAI_RECHERCHE);
  // A slug that names no aid is a 404 whatever the search; then the search; then a non-public aid is a 404.
  if (!r.existe) throw notFound('Aide introuvable.');
  if (!r.recherche) {
    throw new ReferenceInconnue('recherche_id : aucune recherche récente ne correspond à cet identifiant (un clic se compte depuis les résultats d’une recherche de moins d’une heure).', { champ: 'recherche_id' });
  }
  if (!r.aide) throw notFound('Aide introuvable.');
}

export interface RechercheParams {
  q?: string;
  filtres: Filtres;
  page: number;
  limit: number;
  source: 'ui' | 'api' | 'at';
  /** Filters as given by the caller, for the log. */
  filtresJournal: Record<string, unknown>;
  journaliser: boolean;
}

/** Records by id, with the catalogue version of the snapshot they were read in. */
async function loadByIdsVersion(db: Executor, ids: string[]): Promise<{ version: number; lignes: AideRow[] }> {
  const r = await rows<AideRow & { _v: string }>(
    db,
    sql`SELECT (SELECT version FROM aides_index_version WHERE id = 1)::text AS _v, ${COLUMNS}
        FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ANY(${textArray(ids)}::uuid[])`,
  );
  return { version: Number(r[0]?._v ?? 0), lignes: r };
}

/** aides-territoires aid_type slugs, and our French labels. */
const AT_AID_TYPES: Record<string, string> = {
  grant: 'Subvention',
  loan: 'Prêt',
  recoverable_advance: 'Avance récupérable',
  guarantee: 'Garantie',
  technical_engineering: 'Ingénierie technique',
  financial_engineering: 'Ingénierie financière',
  other: 'Autre aide financière',
};
const aidType = (v: string) => AT_AID_TYPES[v] ?? AID_TYPES.find((t) => slugify(t) === slugify(v)) ?? v;

/** The search filters from the caller's: a perimeter becomes the codes covering it, an aid type its label. */
export async function filtresDeRecherche(
  db: Executor,
  f: { audiences?: string[]; perimetre?: string; aidTypes?: string[]; categories?: string[]; operationTypes?: string[]; produits?: string[]; echeanceApres?: string },
): Promise<Filtres> {
  return {
    audiences: f.audiences,
    perimetres: f.perimetre ? await perimetreCodes(db, f.perimetre) : undefined,
    aidTypes: f.aidTypes?.map(aidType),
    categories: f.categories,
    operationTypes: f.operationTypes,
    produits: f.produits,
    echeanceApres: f.echeanceApres,
  };
}

/** An aid in the aides-territoires API's shape: the perimeter flattened into three fields. */
export function presenterAt<A extends ReturnType<typeof presenter>>(a: A) {
  return { ...a, perimeter: a.perimeter.name, perimeter_scale: a.perimeter.scale, perimeter_code: a.perimeter.code };
}

/** aides-territoires' pagination links: the same query, another page. */
export function liensAt(base: string, query: Record<string, unknown>, page: number, parPage: number, count: number) {
  const link = (p: number) => {
    const u = new URL(base);
    for (const [k, v] of Object.entries(query)) if (v != null && k !== 'page') u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    u.searchParams.set('page', String(p));
    return u.href;
  };
  return { previous: page > 1 ? link(page - 1) : null, next: page * parPage < count ? link(page + 1) : null };
}

/** PostgreSQL's text and jsonb refuse the NUL character: it is dropped from logged filters. */
const sansNul = (_: string, v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '') : v);

/** Public search over published aids, logged without personal data. */
export async function rechercherAides(db: Db, reader: Db, publicUrl: string, p: RechercheParams) {
  const journal = p.journaliser ? journalRecherches(db) : null;
  const [r, rechercheId] = await Promise.all([
    rechercher(reader, { q: p.q, filtres: { ...p.filtres, statuts: ['publiee'] }, offset: (p.page - 1) * p.limit, limit: p.limit }),
    journal?.identifiant() ?? null,
  ]);
  if (journal && rechercheId !== null) {
    journal.ecrire(rechercheId, { texte: texteJournal(p.q), filtres: JSON.stringify(p.filtresJournal, sansNul), audience: p.filtres.audiences?.[0] ?? null, nbResultats: r.count, source: p.source });
  }
  // The page's records, kept by the search engine until they change.
  const loaded = await moteurAides(reader).fiches(
    r.results.map((x) => x.id),
    (ids) => loadByIdsVersion(reader, ids),
  );
  const presents = r.results.flatMap((x) => {
    const a = loaded.get(x.id);
    // An aid withdrawn between the search and the page's read is not shown.
    return a && a.statut === 'publiee' ? [{ x, a }] : [];
  });
  const snippets = await extraits(reader, presents.map(({ a }) => ({ cle: a, texte: `${a.description} ${a.eligibility}` })), r.lexemes);
  return {
    count: r.count,
    recherche_id: rechercheId,
    interpretation: r.interpretation,
    results: presents.map(({ x, a }, i) => {
      const extrait = snippets[i];
      return { ...presenter(a, publicUrl), score: Math.round(x.score * 1000) / 1000, extrait_html: extrait ? surligner(extrait) : null };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Financers' workspace and review.

export type AideEdition = Omit<AideInput, 'slug' | 'sourceId' | 'confidence'> & { slug?: string };

/** A financer's aid as typed (aides-territoires field names), read with the catalogue's rules. */
export function editionDepuis(body: Record<string, unknown>): AideEdition {
  const item = { targeted_audiences: [], ...body, slug: typeof body.slug === 'string' ? body.slug : slugify(String(body.name ?? '')) || 'aide' };
  const { aides, erreurs } = parseCatalogue([item]);
  if (erreurs.length) throw new RegleMetier(`Aide invalide : ${erreurs.map(erreurTexte).join(' ')}`, { erreurs });
  const { sourceId: _s, confidence: _c, ...e } = aides[0]!;
  return { ...e, slug: typeof body.slug === 'string' ? body.slug : undefined };
}

/** An aid of the financer's organisation; any other does not exist for it (404). */
async function loadOwn(tx: Executor, p: Principal, slug: string): Promise<AideRow> {
  return aidePolicy.visibleOr404(await loadPlaced(tx, slug), p, [], 'own');
}

/** An aid the State agent reviews: one of their département(s); any other does not exist for them (404). */
async function loadForReview(tx: Executor, p: Principal, configured: readonly string[], slug: string): Promise<AideRow> {
  return aidePolicy.visibleOr404(await loadPlaced(tx, slug), p, configured, 'review');
}

export async function mesAides(db: Executor, p: Principal) {
  return rows<AideRow>(db, sql`SELECT ${COLUMNS} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE ${aidePolicy.where('own', p, [])} ORDER BY a.updated_at DESC`);
}

const editValues = (e: AideEdition) => sql`name = ${e.name}, short_title = ${e.shortTitle}, financers = ${textArray(e.financers)}, instructors = ${textArray(e.instructors)},
  programs = ${textArray(e.programs)}, aid_types = ${textArray(e.aidTypes)}, targeted_audiences = ${textArray(e.targetedAudiences)},
  perimeter_scale = ${e.perimeterScale}, perimeter_code = ${e.perimeterCode}, perimeter_name = ${e.perimeterName}, categories = ${textArray(e.categories)},
  description = ${e.description}, eligibility = ${e.eligibility}, mobilization_steps = ${textArray(e.mobilizationSteps)}, recurrence = ${e.recurrence},
  is_call_for_project = ${e.isCallForProject}, start_date = ${e.startDate}::date, submission_deadline = ${e.submissionDeadline}::date,
  subvention_rate_lower_bound = ${e.subventionRateLowerBound}::numeric, subvention_rate_upper_bound = ${e.subventionRateUpperBound}::numeric,
  loan_amount = ${e.loanAmount}::numeric, origin_url = ${e.originUrl}, application_url = ${e.applicationUrl},
  logement_social = ${e.operationTypes.length > 0 || e.produits.length > 0}, operation_types = ${textArray(e.operationTypes)},
  produits = ${textArray(e.produits)}, conditions_territoriales = ${textArray(e.conditionsTerritoriales)}, updated_at = now()`;

export async function createAide(tx: Executor, actor: Actor, p: Principal, e: AideEdition, requestId?: string): Promise<string> {
  if (!p.organisationId) throw new RegleMetier('Votre compte n’est rattaché à aucune organisation : impossible de créer une aide.');
  const wanted = e.slug ?? slugify(e.name);
  if (!wanted) throw new RegleMetier('Nom d’aide invalide.');
  const slug = await freeSlug(tx, wanted);
  const [row] = await rows<{ id: string }>(
    tx,
    sql`INSERT INTO aides (slug, name, perimeter_scale, perimeter_code, perimeter_name, statut, organisation_id)
        VALUES (${slug}, ${e.name}, ${e.perimeterScale}, ${e.perimeterCode}, ${e.perimeterName}, 'brouillon', ${p.organisationId}::uuid) RETURNING id`,
  );
  await tx.execute(sql`UPDATE aides SET ${editValues(e)} WHERE id = ${row!.id}::uuid`);
  await refreshVectors(tx, [row!.id]);
  await ensureFinanceurs(tx, e.financers);
  await recordAudit(tx, actor, { action: 'creation', entityType: 'aide', entityId: row!.id, after: { slug, ...e } }, requestId);
  return slug;
}

/**
 * The wanted slug, or, when an aid already holds it, the first free `<slug>-2`, `<slug>-3`…: a
 * refusal naming the slug would tell a financer that another financer's hidden draft exists
 * (issue 19). Concurrent creations of one slug wait for each other.
 */
async function freeSlug(tx: Executor, wanted: string): Promise<string> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`aides:slug:${wanted}`}))`);
  const taken = new Set(
    (await rows<{ slug: string }>(tx, sql`SELECT slug FROM aides WHERE slug = ${wanted} OR slug LIKE ${`${wanted}-%`}`)).map((r) => r.slug),
  );
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${wanted.slice(0, 200 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (taken.has(candidate)) continue;
    // A truncated candidate is not among the rows read above.
    if (candidate.startsWith(`${wanted}-`) || !(await rows(tx, sql`SELECT 1 FROM aides WHERE slug = ${candidate}`)).length) return candidate;
  }
}

/** A financer edits its own aid; a published aid goes back to draft (it must be reviewed again). */
export async function updateAide(tx: Executor, actor: Actor, p: Principal, slug: string, e: AideEdition, requestId?: string): Promise<void> {
  const before = await loadOwn(tx, p, slug);
  const vers = statutApres('modifier', before.statut);
  await tx.execute(sql`UPDATE aides SET ${editValues(e)}, statut = ${vers}, motif_renvoi = NULL WHERE id = ${before.id}::uuid`);
  await refreshVectors(tx, [before.id]);
  await ensureFinanceurs(tx, e.financers);
  await recordAudit(tx, actor, { action: 'modification', entityType: 'aide', entityId: before.id, before, after: e }, requestId);
}

/** The status an action leads to, from the transition table (shared/aides/statuts.ts). */
function statutApres(action: ActionAide, statut: string): StatutAide {
  const t = transitionAide(action, statut);
  if ('refus' in t) throw new TransitionInterdite(t.refus);
  return t.vers;
}

async function setStatut(tx: Executor, actor: Actor, a: AideRow, statut: string, extra: Record<string, unknown>, requestId?: string) {
  await tx.execute(sql`UPDATE aides SET statut = ${statut}, updated_at = now(),
    motif_renvoi = ${(extra.motif as string | undefined) ?? null},
    publiee_le = CASE WHEN ${statut} = 'publiee' THEN now() ELSE publiee_le END,
    confirmee_le = CASE WHEN ${statut} = 'publiee' THEN now() ELSE confirmee_le END
    WHERE id = ${a.id}::uuid`);
  await recordAudit(tx, actor, { action: `statut:${statut}`, entityType: 'aide', entityId: a.id, before: { statut: a.statut }, after: { statut, ...extra } }, requestId);
}

export async function soumettre(tx: Executor, actor: Actor, p: Principal, slug: string, requestId?: string) {
  const a = await loadOwn(tx, p, slug);
  await setStatut(tx, actor, a, statutApres('soumettre', a.statut), {}, requestId);
}

export async function publier(tx: Executor, actor: Actor, p: Principal, configured: readonly string[], slug: string, requestId?: string) {
  const a = await loadForReview(tx, p, configured, slug);
  await setStatut(tx, actor, a, statutApres('publier', a.statut), {}, requestId);
  await tx.execute(sql`INSERT INTO aides_termes (mot, nb_aides)
    SELECT word, 1 FROM ts_stat(${`SELECT to_tsvector('simple', unaccent(name || ' ' || description || ' ' || eligibility)) FROM aides WHERE id = '${a.id}'`})
    WHERE length(word) >= 3 AND word !~ '^[0-9]+$'
    ON CONFLICT (mot) DO UPDATE SET nb_aides = aides_termes.nb_aides + 1`);
  // Words this aid brings are no longer typos (this instance at once, others within a minute).
  invalidateVocabulaire();
}

export async function renvoyer(tx: Executor, actor: Actor, p: Principal, configured: readonly string[], slug: string, motif: string, requestId?: string) {
  const a = await loadForReview(tx, p, configured, slug);
  await setStatut(tx, actor, a, statutApres('renvoyer', a.statut), { motif }, requestId);
}

/** The financer (or the DDTM) confirms a published aid is still current. */
export async function confirmer(tx: Executor, actor: Actor, p: Principal, configured: readonly string[], slug: string, requestId?: string) {
  const a = can(p.role, 'aides:review') ? await loadForReview(tx, p, configured, slug) : await loadOwn(tx, p, slug);
  await tx.execute(sql`UPDATE aides SET confirmee_le = now() WHERE id = ${a.id}::uuid`);
  await recordAudit(tx, actor, { action: 'confirmation', entityType: 'aide', entityId: a.id }, requestId);
}

/** The aids waiting for the review of the agent's département(s). */
export async function enRevue(db: Executor, p: Principal, configured: readonly string[]) {
  return rows<AideRow>(
    db,
    sql`SELECT ${COLUMNS} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id
        WHERE a.statut = 'en_revue' AND ${aidePolicy.where('review', p, configured)} ORDER BY a.updated_at`,
  );
}

/**
 * The campaign: every financer organisation of the agent's département(s) (and the national
 * bodies, which have none), and where its aids stand — counting only the aids the agent reviews.
 */
export async function campagne(db: Executor, p: Principal, configured: readonly string[]) {
  return rows<{ organisation_id: string; nom: string; brouillons: number; en_revue: number; publiees: number; expirees: number; derniere_publication: string | null }>(
    db,
    sql`SELECT o.id AS organisation_id, o.nom,
        count(a.id) FILTER (WHERE a.statut = 'brouillon')::int AS brouillons,
        count(a.id) FILTER (WHERE a.statut = 'en_revue')::int AS en_revue,
        count(a.id) FILTER (WHERE a.statut = 'publiee')::int AS publiees,
        count(a.id) FILTER (WHERE a.statut = 'expiree')::int AS expirees,
        max(a.publiee_le)::text AS derniere_publication
      FROM organisations o LEFT JOIN aides a ON a.organisation_id = o.id AND ${aidePolicy.where('review', p, configured)}
      WHERE o.type = 'financeur' AND ${financeurPolicy.where('campaign', p, configured)}
      GROUP BY o.id, o.nom ORDER BY (count(a.id) FILTER (WHERE a.statut = 'publiee') > 0), o.nom`,
  );
}

/**
 * Search statistics for the DDTM (solution 3's indicators): the searches whose perimeter lies in
 * the agent's département(s) or that had none, and the most viewed aids the agent reviews.
 */
export async function statistiques(db: Executor, journal: JournalRecherches, p: Principal, configured: readonly string[]) {
  // Searches still waiting to be written count.
  await journal.vider();
  const recherches = sql`(SELECT ar.* FROM aides_recherches ar WHERE ${recherchePolicy.where('statistics', p, configured)})`;
  const parMois = await rows<{ mois: string; recherches: number; sans_resultat: number; sans_clic: number }>(
    db,
    sql`SELECT to_char(date_trunc('month', at), 'YYYY-MM') AS mois, count(*)::int AS recherches,
        count(*) FILTER (WHERE nb_resultats = 0)::int AS sans_resultat, count(*) FILTER (WHERE clics = 0)::int AS sans_clic
      FROM ${recherches} r GROUP BY 1 ORDER BY 1 DESC LIMIT 24`,
  );
  const frequentes = await rows<{ texte: string; n: number; resultats_moyens: number; clics: number }>(
    db,
    sql`SELECT texte, count(*)::int AS n, round(avg(nb_resultats))::int AS resultats_moyens, sum(clics)::int AS clics
      FROM ${recherches} r WHERE texte IS NOT NULL GROUP BY texte ORDER BY n DESC, texte LIMIT 30`,
  );
  const sansResultat = await rows<{ texte: string; n: number; derniere: string }>(
    db,
    sql`SELECT texte, count(*)::int AS n, max(at)::text AS derniere FROM ${recherches} r
      WHERE texte IS NOT NULL AND nb_resultats = 0 GROUP BY texte ORDER BY n DESC, texte LIMIT 30`,
  );
  const sansClic = await rows<{ texte: string; n: number; resultats_moyens: number }>(
    db,
    sql`SELECT texte, count(*)::int AS n, round(avg(nb_resultats))::int AS resultats_moyens FROM ${recherches} r
      WHERE texte IS NOT NULL AND nb_resultats > 0 GROUP BY texte HAVING sum(clics) = 0 ORDER BY n DESC, texte LIMIT 30`,
  );
  const aides = await rows<{ slug: string; name: string; vues: number; clics: number }>(
    db,
    sql`SELECT a.slug, a.name, a.vues, a.clics FROM aides a WHERE a.statut IN ('publiee', 'expiree') AND ${aidePolicy.where('review', p, configured)}
        ORDER BY a.vues + a.clics DESC, a.name LIMIT 20`,
  );
  return { par_mois: parMois, frequentes, sans_resultat: sansResultat, sans_clic: sansClic, aides_les_plus_vues: aides };
}

