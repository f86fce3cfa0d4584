/**
 * SQL of the aids catalogue: upsert on slug, the weighted full-text vector, the word dictionary used
 * to correct typos, the financers (backers) list.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';
import type { AideInput } from './aides.catalogue.js';

const arr = (col: string) => sql.raw(`coalesce(array_to_string(${col}, ' '), '')`);

/**
 * The weighted document vector: A the name, B what classifies the aid (categories, programmes,
 * financers, structured social-housing eligibility), C its description and eligibility text,
 * D the rest.
 */
export const VECTOR_SQL: SQL = sql`
  setweight(to_tsvector('fr_unaccent', name || ' ' || coalesce(short_title, '')), 'A') ||
  setweight(to_tsvector('fr_unaccent', ${arr('categories')} || ' ' || ${arr('programs')} || ' ' || ${arr('financers')} || ' ' || ${arr('operation_types')} || ' ' || ${arr('produits')}), 'B') ||
  setweight(to_tsvector('fr_unaccent', description || ' ' || eligibility), 'C') ||
  setweight(to_tsvector('fr_unaccent', ${arr('instructors')} || ' ' || ${arr('aid_types')} || ' ' || ${arr('mobilization_steps')}), 'D')`;

export const slugify = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);

function values(a: AideInput): SQL {
  return sql`(${a.slug}, ${a.sourceId}, ${a.name}, ${a.shortTitle}, ${textArray(a.financers)}, ${textArray(a.instructors)}, ${textArray(a.programs)},
    ${textArray(a.aidTypes)}, ${textArray(a.targetedAudiences)}, ${a.perimeterScale}, ${a.perimeterCode}, ${a.perimeterName}, ${textArray(a.categories)},
    ${a.description}, ${a.eligibility}, ${textArray(a.mobilizationSteps)}, ${a.recurrence}, ${a.isCallForProject}, ${a.startDate}::date, ${a.submissionDeadline}::date,
    ${a.subventionRateLowerBound}::numeric, ${a.subventionRateUpperBound}::numeric, ${a.loanAmount}::numeric, ${a.originUrl}, ${a.applicationUrl},
    ${a.logementSocial}, ${textArray(a.operationTypes)}, ${textArray(a.produits)}, ${textArray(a.conditionsTerritoriales)}, ${a.confidence},
    CASE WHEN ${a.submissionDeadline}::date < current_date THEN 'expiree' ELSE 'publiee' END, now(), now())`;
}

/**
 * Inserts or updates (on slug) a batch of aids; imported aids are published (expired when their
 * deadline has passed). Counters, owner and workflow fields of existing aids are kept.
 */
export async function upsertAides(tx: Executor, batch: AideInput[]): Promise<{ id: string; slug: string; inserted: boolean }[]> {
  const out: { id: string; slug: string; inserted: boolean }[] = [];
  for (let i = 0; i < batch.length; i += 500) {
    const chunk = batch.slice(i, i + 500);
    const r = await rows<{ id: string; slug: string; inserted: boolean }>(
      tx,
      sql`INSERT INTO aides (slug, source_id, name, short_title, financers, instructors, programs, aid_types, targeted_audiences,
          perimeter_scale, perimeter_code, perimeter_name, categories, description, eligibility, mobilization_steps, recurrence,
          is_call_for_project, start_date, submission_deadline, subvention_rate_lower_bound, subvention_rate_upper_bound, loan_amount,
          origin_url, application_url, logement_social, operation_types, produits, conditions_territoriales, confidence, statut,
          confirmee_le, publiee_le)
        VALUES ${sql.join(chunk.map(values), sql`, `)}
        ON CONFLICT (slug) DO UPDATE SET
          source_id = excluded.source_id, name = excluded.name, short_title = excluded.short_title, financers = excluded.financers,
          instructors = excluded.instructors, programs = excluded.programs, aid_types = excluded.aid_types,
          targeted_audiences = excluded.targeted_audiences, perimeter_scale = excluded.perimeter_scale,
          perimeter_code = excluded.perimeter_code, perimeter_name = excluded.perimeter_name, categories = excluded.categories,
          description = excluded.description, eligibility = excluded.eligibility, mobilization_steps = excluded.mobilization_steps,
          recurrence = excluded.recurrence, is_call_for_project = excluded.is_call_for_project, start_date = excluded.start_date,
          submission_deadline = excluded.submission_deadline, subvention_rate_lower_bound = excluded.subvention_rate_lower_bound,
          subvention_rate_upper_bound = excluded.subvention_rate_upper_bound, loan_amount = excluded.loan_amount,
          origin_url = excluded.origin_url, application_url = excluded.application_url, logement_social = excluded.logement_social,
          operation_types = excluded.operation_types, produits = excluded.produits,
          conditions_territoriales = excluded.conditions_territoriales, confidence = excluded.confidence,
          statut = CASE WHEN excluded.submission_deadline < current_date THEN 'expiree'
                        WHEN aides.statut = 'expiree' THEN 'publiee' ELSE aides.statut END,
          confirmee_le = now(), updated_at = now()
        RETURNING id, slug, (xmax = 0) AS inserted`,
    );
    out.push(...r);
    await refreshVectors(tx, r.map((x) => x.id));
  }
  return out;
}

export async function refreshVectors(tx: Executor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx.execute(sql`UPDATE aides SET search_vector = ${VECTOR_SQL} WHERE id = ANY(${textArray(ids)}::uuid[])`);
}

/**
 * Rebuilds the dictionary of the published catalogue's words (unaccented, unstemmed), with the
 * number of aids using each: the typo corrector picks its candidates there.
 */
export async function refreshTermes(tx: Executor): Promise<void> {
  await tx.execute(sql`DELETE FROM aides_termes`);
  await tx.execute(sql`
    INSERT INTO aides_termes (mot, nb_aides)
    SELECT word, ndoc FROM ts_stat($q$SELECT to_tsvector('simple', unaccent(name || ' ' || description || ' ' || eligibility || ' ' ||
      coalesce(array_to_string(categories, ' '), '') || ' ' || coalesce(array_to_string(financers, ' '), '') || ' ' ||
      coalesce(array_to_string(programs, ' '), ''))) FROM aides WHERE statut = 'publiee'$q$)
    WHERE length(word) >= 3 AND word !~ '^[0-9]+$'`);
}

/** Financers named by aids get a backer row (slug of the name), kept across imports. */
export async function ensureFinanceurs(tx: Executor, names: string[]): Promise<void> {
  const unique = [...new Map(names.map((n) => [slugify(n), n])).entries()].filter(([s]) => s);
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    await tx.execute(sql`INSERT INTO aides_financeurs (nom, slug) VALUES ${sql.join(chunk.map(([s, n]) => sql`(${n}, ${s})`), sql`, `)}
      ON CONFLICT (slug) DO NOTHING`);
  }
}

/** The backers (aides-territoires' name for financers) with their number of published aids. */
export function listeFinanceurs(db: Executor) {
  return rows<{ id: number; name: string; slug: string; nb_aides: number }>(
    db,
    sql`SELECT f.id::int AS id, f.nom AS name, f.slug, count(a.id)::int AS nb_aides FROM aides_financeurs f
        LEFT JOIN aides a ON f.nom = ANY(a.financers) AND a.statut = 'publiee' GROUP BY f.id ORDER BY f.nom`,
  );
}

/**
 * Counts a click on a public aid from search `rechercheId` when that search is younger than
 * `delai`, found something: one statement (both counters or neither), so no transaction is needed.
 * Says whether the search and the aid were found.
 */
export async function compterClicRecherche(db: Executor, slug: string, rechercheId: number, delai: string): Promise<{ recherche: boolean; existe: boolean; aide: boolean }> {
  const [r] = await rows<{ recherche: boolean; existe: boolean; aide: boolean }>(
    db,
    sql`WITH r AS (SELECT id FROM aides_recherches WHERE id = ${rechercheId} AND at > now() - ${delai}::interval AND nb_resultats > 0),
             a AS (UPDATE aides SET clics = clics + 1 WHERE slug = ${slug} AND statut IN ('publiee', 'expiree') AND EXISTS (SELECT 1 FROM r) RETURNING id),
             u AS (UPDATE aides_recherches SET clics = clics + 1 WHERE id IN (SELECT id FROM r) AND EXISTS (SELECT 1 FROM a) RETURNING id)
        SELECT EXISTS (SELECT 1 FROM r) AS recherche,
               EXISTS (SELECT 1 FROM aides WHERE slug = ${slug}) AS existe,
               EXISTS (SELECT 1 FROM a) AS aide,
               (SELECT count(*) FROM u)::int AS n`,
  );
  return { recherche: Boolean(r?.recherche), existe: Boolean(r?.existe), aide: Boolean(r?.aide) };
}
