/**
 * The catalogue's rules: public reading (published aids only), the financers' workspace (their own
 * aids, draft → review → published), the DDTM's review, campaign and statistics, counters, search log.
 */
import { sql } from 'drizzle-orm';
import { rows, textArray, type Db, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { conflict, notFound, TransitionInterdite, unprocessable } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { transitionAide, type ActionAide } from '../../../shared/aides/statuts.js';
import type { StatutAide } from '../../../shared/aides/referentiel.js';
import { can } from '../../../shared/roles.js';
import type { AideInput } from './aides.catalogue.js';
import { extraits } from './aides.extrait.js';
import { journalRecherches } from './aides.journal.js';
import { moteurAides } from './aides.moteur.js';
import { ensureFinanceurs, refreshVectors, slugify } from './aides.repository.js';
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
}

const COLUMNS = sql`a.id, a.slug, a.source_id, a.name, a.short_title, a.financers, a.instructors, a.programs, a.aid_types, a.targeted_audiences,
  a.perimeter_scale, a.perimeter_code, a.perimeter_name, a.categories, a.description, a.eligibility, a.mobilization_steps, a.recurrence,
  a.is_call_for_project, a.start_date::text, a.submission_deadline::text, a.subvention_rate_lower_bound::text, a.subvention_rate_upper_bound::text,
  a.loan_amount::text, a.origin_url, a.application_url, a.logement_social, a.operation_types, a.produits, a.conditions_territoriales,
  a.confidence, a.statut, a.organisation_id, o.nom AS organisation_nom, a.confirmee_le, a.publiee_le, a.motif_renvoi, a.vues, a.clics, a.updated_at`;

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
  };
}

export async function loadBySlugs(db: Executor, slugs: string[]): Promise<AideRow[]> {
  if (!slugs.length) return [];
  return rows<AideRow>(db, sql`SELECT ${COLUMNS} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.slug = ANY(${textArray(slugs)})`);
}

/** Who may see an aid that is not public: its financer organisation and the reviewers. */
function canSeeUnpublished(p: Principal | undefined, a: AideRow): boolean {
  if (!p) return false;
  if (can(p.role, 'aides:review')) return true;
  return can(p.role, 'aides:write') && a.organisation_id != null && a.organisation_id === p.organisationId;
}

/** One aid: published and expired aids are public; drafts and aids in review only for their owner and reviewers (else 404). */
export async function getAide(db: Executor, p: Principal | undefined, slug: string): Promise<AideRow> {
  const [a] = await loadBySlugs(db, [slug]);
  if (!a || (!['publiee', 'expiree'].includes(a.statut) && !canSeeUnpublished(p, a))) throw notFound('Aide introuvable.');
  return a;
}

export async function compterVue(db: Executor, id: string): Promise<void> {
  await db.execute(sql`UPDATE aides SET vues = vues + 1 WHERE id = ${id}::uuid`);
}

/** A click on an aid's link in search results (or its origin/application link). */
export async function compterClic(db: Db, slug: string, rechercheId: number | undefined): Promise<void> {
  const r = await rows<{ id: string }>(db, sql`UPDATE aides SET clics = clics + 1 WHERE slug = ${slug} AND statut IN ('publiee', 'expiree') RETURNING id`);
  if (!r.length) throw notFound('Aide introuvable.');
  if (rechercheId) {
    // The search's row may still be waiting to be written on this instance.
    await journalRecherches(db).vider();
    await db.execute(sql`UPDATE aides_recherches SET clics = clics + 1 WHERE id = ${rechercheId}`);
  }
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

async function loadOwn(tx: Executor, p: Principal, slug: string): Promise<AideRow> {
  const [a] = await loadBySlugs(tx, [slug]);
  // Outside the financer's organisation, the aid does not exist for it.
  if (!a || !p.organisationId || a.organisation_id !== p.organisationId) throw notFound('Aide introuvable.');
  return a;
}

async function loadForReview(tx: Executor, slug: string): Promise<AideRow> {
  const [a] = await loadBySlugs(tx, [slug]);
  if (!a) throw notFound('Aide introuvable.');
  return a;
}

export async function mesAides(db: Executor, p: Principal) {
  if (!p.organisationId) return [];
  return rows<AideRow>(db, sql`SELECT ${COLUMNS} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.organisation_id = ${p.organisationId}::uuid ORDER BY a.updated_at DESC`);
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
  if (!p.organisationId) throw unprocessable('Votre compte n’est rattaché à aucune organisation : impossible de créer une aide.');
  const slug = e.slug ?? slugify(e.name);
  if (!slug) throw unprocessable('Nom d’aide invalide.');
  const exists = await rows<{ n: number }>(tx, sql`SELECT 1 AS n FROM aides WHERE slug = ${slug}`);
  if (exists.length) throw conflict(`Une aide porte déjà l’identifiant « ${slug} » : choisissez un autre nom ou un autre slug.`);
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

export async function publier(tx: Executor, actor: Actor, slug: string, requestId?: string) {
  const a = await loadForReview(tx, slug);
  await setStatut(tx, actor, a, statutApres('publier', a.statut), {}, requestId);
  await tx.execute(sql`INSERT INTO aides_termes (mot, nb_aides)
    SELECT word, 1 FROM ts_stat(${`SELECT to_tsvector('simple', unaccent(name || ' ' || description || ' ' || eligibility)) FROM aides WHERE id = '${a.id}'`})
    WHERE length(word) >= 3 AND word !~ '^[0-9]+$'
    ON CONFLICT (mot) DO UPDATE SET nb_aides = aides_termes.nb_aides + 1`);
  // Words this aid brings are no longer typos (this instance at once, others within a minute).
  invalidateVocabulaire();
}

export async function renvoyer(tx: Executor, actor: Actor, slug: string, motif: string, requestId?: string) {
  const a = await loadForReview(tx, slug);
  await setStatut(tx, actor, a, statutApres('renvoyer', a.statut), { motif }, requestId);
}

/** The financer (or the DDTM) confirms a published aid is still current. */
export async function confirmer(tx: Executor, actor: Actor, p: Principal, slug: string, requestId?: string) {
  const a = can(p.role, 'aides:review') ? await loadForReview(tx, slug) : await loadOwn(tx, p, slug);
  await tx.execute(sql`UPDATE aides SET confirmee_le = now() WHERE id = ${a.id}::uuid`);
  await recordAudit(tx, actor, { action: 'confirmation', entityType: 'aide', entityId: a.id }, requestId);
}

export async function enRevue(db: Executor) {
  return rows<AideRow>(db, sql`SELECT ${COLUMNS} FROM aides a LEFT JOIN organisations o ON o.id = a.organisation_id WHERE a.statut = 'en_revue' ORDER BY a.updated_at`);
}

/** The campaign: every financer organisation of the département, and where its aids stand. */
export async function campagne(db: Executor, departements: string[]) {
  return rows<{ organisation_id: string; nom: string; brouillons: number; en_revue: number; publiees: number; expirees: number; derniere_publication: string | null }>(
    db,
    sql`SELECT o.id AS organisation_id, o.nom,
        count(a.id) FILTER (WHERE a.statut = 'brouillon')::int AS brouillons,
        count(a.id) FILTER (WHERE a.statut = 'en_revue')::int AS en_revue,
        count(a.id) FILTER (WHERE a.statut = 'publiee')::int AS publiees,
        count(a.id) FILTER (WHERE a.statut = 'expiree')::int AS expirees,
        max(a.publiee_le)::text AS derniere_publication
      FROM organisations o LEFT JOIN aides a ON a.organisation_id = o.id
      WHERE o.type = 'financeur' AND (o.departement IS NULL OR o.departement = ANY(${textArray(departements)}))
      GROUP BY o.id, o.nom ORDER BY (count(a.id) FILTER (WHERE a.statut = 'publiee') > 0), o.nom`,
  );
}

/** Search statistics for the DDTM (solution 3's indicators). */
export async function statistiques(db: Db) {
  await journalRecherches(db).vider();
  const parMois = await rows<{ mois: string; recherches: number; sans_resultat: number; sans_clic: number }>(
    db,
    sql`SELECT to_char(date_trunc('month', at), 'YYYY-MM') AS mois, count(*)::int AS recherches,
        count(*) FILTER (WHERE nb_resultats = 0)::int AS sans_resultat, count(*) FILTER (WHERE clics = 0)::int AS sans_clic
      FROM aides_recherches GROUP BY 1 ORDER BY 1 DESC LIMIT 24`,
  );
  const frequentes = await rows<{ texte: string; n: number; resultats_moyens: number; clics: number }>(
    db,
    sql`SELECT texte, count(*)::int AS n, round(avg(nb_resultats))::int AS resultats_moyens, sum(clics)::int AS clics
      FROM aides_recherches WHERE texte IS NOT NULL GROUP BY texte ORDER BY n DESC, texte LIMIT 30`,
  );
  const sansResultat = await rows<{ texte: string; n: number; derniere: string }>(
    db,
    sql`SELECT texte, count(*)::int AS n, max(at)::text AS derniere FROM aides_recherches
      WHERE texte IS NOT NULL AND nb_resultats = 0 GROUP BY texte ORDER BY n DESC, texte LIMIT 30`,
  );
  const sansClic = await rows<{ texte: string; n: number; resultats_moyens: number }>(
    db,
    sql`SELECT texte, count(*)::int AS n, round(avg(nb_resultats))::int AS resultats_moyens FROM aides_recherches
      WHERE texte IS NOT NULL AND nb_resultats > 0 GROUP BY texte HAVING sum(clics) = 0 ORDER BY n DESC, texte LIMIT 30`,
  );
  const aides = await rows<{ slug: string; name: string; vues: number; clics: number }>(
    db,
    sql`SELECT slug, name, vues, clics FROM aides WHERE statut IN ('publiee', 'expiree') ORDER BY vues + clics DESC, name LIMIT 20`,
  );
  return { par_mois: parMois, frequentes, sans_resultat: sansResultat, sans_clic: sansClic, aides_les_plus_vues: aides };
}

