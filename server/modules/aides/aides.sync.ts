/**
 * The sync of the catalogue from aides-territoires (issue 13, docs/decisions/0017): the live aids of
 * the served départements, for the configured audiences, are read from the API (aides-territoires.
 * client.ts), turned into catalogue items (aides.sync.mapping.ts), checked by the catalogue's reader
 * (`parseCatalogue`) and written through the import runner and the catalogue's upsert, in one
 * transaction with the run's record:
 * - an aid whose upstream `date_updated` has not moved since it was written is not written again
 *   (incremental runs; the API has no filter on that date, so every run reads the whole list, which
 *   is also how withdrawn aids are seen);
 * - an aid the sync wrote and that is no longer listed is withdrawn (`retiree`: out of the search,
 *   its sheet kept for the DDTM); listed again, it comes back;
 * - the search index follows through the catalogue's version (aides.moteur.ts): the triggers on
 *   `aides` bump it in the same commit.
 * One run at a time across instances: a run claims its record under an advisory lock, with a lease.
 * Nothing is written when the API fails (after the client's retries): the run is recorded as failed.
 */
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import { rows, textArray, type Db, type Executor } from '../../db/client.js';
import { recordAuditMany } from '../../lib/audit.js';
import { executerImport } from '../../lib/import/index.js';
import type { Actor } from '../../lib/principal.js';
import { TRANSITIONS_AIDE } from '../../../shared/aides/statuts.js';
import { ClientAidesTerritoires, ErreurAidesTerritoires, type AideAt } from './aides-territoires.client.js';
import { erreurTexte, parseCatalogue, type AideInput } from './aides.catalogue.js';
import { ensureFinanceurs, refreshTermes, upsertAides } from './aides.repository.js';
import { invalidateVocabulaire } from './aides.search.js';
import { cle, itemCatalogue, type Lieux } from './aides.sync.mapping.js';

const SYNC_LOCK = 7_302_045;
/** How long a run holds its claim; a run left behind by a dead process is taken over after. */
const BAIL = '2 hours';
/** Upstream aids left out, kept in the run's record. */
const MAX_DETAILS = 50;

export class SynchronisationNonConfiguree extends Error {
  constructor() {
    super('Synchronisation avec aides-territoires non configurée : renseignez AIDES_TERRITOIRES_API_KEY (clé d’API d’un compte aides-territoires).');
  }
}

/** A run's record (`aides_synchronisations`). */
export interface Synchronisation {
  id: number;
  debut: string;
  fin: string | null;
  statut: 'en_cours' | 'reussie' | 'echouee';
  mode: 'complete' | 'incrementale';
  declencheur: string;
  pages: number;
  lues: number;
  creees: number;
  mises_a_jour: number;
  retirees: number;
  inchangees: number;
  ignorees: number;
  details: { at_id: string; slug: string; raison: string }[];
  erreur: string | null;
}

const COLONNES = sql.raw(`id::int AS id, debut::text AS debut, fin::text AS fin, statut, mode, declencheur, pages, lues, creees, mises_a_jour, retirees,
  inchangees, ignorees, details, erreur`);

export interface OptionsSync {
  actor: Actor;
  /** Who started the run, as the record shows it. */
  declencheur: string;
  /** Write every listed aid again, whatever its `date_updated`. */
  complete?: boolean;
  /** The client (tests shorten its back-off); by default one from the configuration. */
  client?: ClientAidesTerritoires;
  requestId?: string;
}

export function clientDeConfig(config: Config): ClientAidesTerritoires {
  const c = config.aidesTerritoires;
  if (!c.apiKey) throw new SynchronisationNonConfiguree();
  return new ClientAidesTerritoires({ url: c.url, apiKey: c.apiKey, timeoutMs: c.timeoutMs });
}

/**
 * Claims a run: under the advisory lock, no other run may be under way (a run whose lease has
 * passed is closed as interrupted). Answers the new record's id and mode, or null when another
 * instance is running one.
 */
async function reserver(db: Db, opts: OptionsSync): Promise<{ id: number; mode: 'complete' | 'incrementale' } | null> {
  return db.transaction(async (tx) => {
    const [verrou] = await rows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${SYNC_LOCK}) AS ok`);
    if (!verrou?.ok) return null;
    await tx.execute(sql`UPDATE aides_synchronisations SET statut = 'echouee', fin = now(),
      erreur = 'Interrompue : l’instance qui la menait s’est arrêtée avant la fin. Rien n’a été modifié.'
      WHERE statut = 'en_cours' AND bail < now()`);
    const [encours] = await rows<{ id: number }>(tx, sql`SELECT id::int AS id FROM aides_synchronisations WHERE statut = 'en_cours' LIMIT 1`);
    if (encours) return null;
    const [reussie] = await rows<{ id: number }>(tx, sql`SELECT id::int AS id FROM aides_synchronisations WHERE statut = 'reussie' LIMIT 1`);
    const mode = opts.complete || !reussie ? 'complete' : 'incrementale';
    const [r] = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO aides_synchronisations (bail, mode, declencheur) VALUES (now() + ${BAIL}::interval, ${mode}, ${opts.declencheur.slice(0, 200)}) RETURNING id::int AS id`,
    );
    return { id: r!.id, mode };
  });
}

const require = createRequire(import.meta.url);

/** Names of regions, départements, EPCI and communes of the loaded territory, keyed by `cle`. */
async function lireLieux(db: Executor): Promise<Lieux> {
  const regions = new Map<string, { code: string; nom: string }>();
  for (const r of require('@etalab/decoupage-administratif/data/regions.json') as { code: string; nom: string }[]) regions.set(cle(r.nom), { code: r.code, nom: r.nom });
  const departements = new Map<string, { code: string; nom: string }>();
  for (const d of await rows<{ code: string; nom: string }>(db, sql`SELECT code, nom FROM departements`)) departements.set(cle(d.nom), d);
  const epci = new Map<string, { code: string; nom: string }>();
  for (const e of await rows<{ code: string; nom: string }>(db, sql`SELECT siren AS code, nom FROM epci`)) epci.set(cle(e.nom), e);
  const communes = new Map<string, { code: string; nom: string; departement: string }[]>();
  for (const c of await rows<{ code: string; nom: string; departement: string }>(db, sql`SELECT code_insee AS code, nom, departement FROM communes`)) {
    const k = cle(c.nom);
    const l = communes.get(k);
    if (l) l.push(c);
    else communes.set(k, [c]);
  }
  return { regions, departements, epci, communes };
}

interface Existante {
  id: string;
  slug: string;
  at_id: string | null;
  at_date_updated: string | null;
  statut: string;
  organisation_id: string | null;
}

/** What a run read upstream: each listed aid once, with the served département that listed it. */
interface Lecture {
  pages: number;
  aides: Map<string, { aide: AideAt; departement: { code: string; nom: string } }>;
}

async function lire(db: Db, config: Config, client: ClientAidesTerritoires, avancement: (pages: number, lues: number) => Promise<void>): Promise<Lecture> {
  const served = await rows<{ code: string; nom: string }>(db, sql`SELECT code, nom FROM departements WHERE code = ANY(${textArray(config.departements)}) ORDER BY code`);
  if (!served.length) throw new Error(`Départements servis (${config.departements.join(', ')}) absents du référentiel : chargez-les d’abord (npm run cli -- referentiel:load).`);
  await client.connecter();
  const lecture: Lecture = { pages: 0, aides: new Map() };
  for (const d of served) {
    const p = await client.perimetreDepartement(d.code, d.nom);
    const id = p ? Number.parseInt(p.id, 10) : NaN;
    if (!p || !Number.isInteger(id)) throw new ErreurAidesTerritoires(`Le département ${d.code} (${d.nom}) est introuvable dans les périmètres d’aides-territoires (/api/perimeters/).`, 'reponse');
    for await (const page of client.aides(id, config.aidesTerritoires.publics)) {
      lecture.pages++;
      for (const a of page.results) {
        if (a == null || a.id == null || a.is_live === false) continue;
        const k = String(a.id);
        if (!lecture.aides.has(k)) lecture.aides.set(k, { aide: a, departement: d });
      }
      await avancement(lecture.pages, lecture.aides.size);
    }
  }
  return lecture;
}

/** Same instant, whatever the writing (upstream ATOM dates, PostgreSQL's timestamptz text). */
const memeDate = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && new Date(a).getTime() === new Date(b).getTime();

/**
 * Runs one sync. Answers the run's record, or null when another instance is running one. Throws
 * `SynchronisationNonConfiguree` without a key; an API failure is recorded in the run (statut
 * `echouee`, French `erreur`) and nothing is written.
 */
export async function synchroniserAides(db: Db, config: Config, opts: OptionsSync): Promise<Synchronisation | null> {
  const client = opts.client ?? clientDeConfig(config);
  const run = await reserver(db, opts);
  if (!run) return null;
  const compte = { pages: 0, lues: 0 };
  try {
    const lecture = await lire(db, config, client, async (pages, lues) => {
      compte.pages = pages;
      compte.lues = lues;
      // The lease grows with the run: a long read keeps its claim.
      if (pages % 20 === 0) await db.execute(sql`UPDATE aides_synchronisations SET bail = now() + ${BAIL}::interval, pages = ${pages}, lues = ${lues} WHERE id = ${run.id}`);
    });
    await appliquer(db, run, lecture, opts, client);
  } catch (e) {
    const message = e instanceof ErreurAidesTerritoires || e instanceof Error ? e.message : String(e);
    await db.execute(sql`UPDATE aides_synchronisations SET statut = 'echouee', fin = now(), pages = ${compte.pages}, lues = ${compte.lues},
      erreur = ${message.slice(0, 2000)} WHERE id = ${run.id}`);
  }
  const [r] = await rows<Synchronisation>(db, sql`SELECT ${COLONNES} FROM aides_synchronisations WHERE id = ${run.id}`);
  return r!;
}

async function appliquer(db: Db, run: { id: number; mode: 'complete' | 'incrementale' }, lecture: Lecture, opts: OptionsSync, client: ClientAidesTerritoires): Promise<void> {
  const lieux = await lireLieux(db);
  const details: Synchronisation['details'] = [];
  const ignorer = (a: AideAt, raison: string) => {
    bilan.ignorees++;
    if (details.length < MAX_DETAILS) details.push({ at_id: String(a.id), slug: a.slug, raison });
  };
  const bilan = { inchangees: 0, ignorees: 0 };

  // Upstream → catalogue items, checked by the catalogue's own reader, one by one so that one odd
  // upstream aid is left out (and said) rather than blocking the territory's whole catalogue.
  const listees = [...lecture.aides.values()];
  const existantes = await rows<Existante>(
    db,
    sql`SELECT id, slug, at_id, at_date_updated::text AS at_date_updated, statut, organisation_id FROM aides
      WHERE at_id = ANY(${textArray(listees.map((l) => String(l.aide.id)))}) OR slug = ANY(${textArray(listees.map((l) => l.aide.slug ?? ''))})`,
  );
  const parAtId = new Map(existantes.filter((e) => e.at_id).map((e) => [e.at_id!, e]));
  const parSlug = new Map(existantes.map((e) => [e.slug, e]));
  const aEcrire: { input: AideInput; atId: string; atUrl: string; dateUpdated: string | null; renommer: string | null }[] = [];
  const slugsPris = new Set<string>();
  for (const { aide, departement } of listees) {
    const atId = String(aide.id);
    const connue = parAtId.get(atId);
    // An aid never edited upstream has no date_updated: its creation date stands for its version.
    const version = aide.date_updated ?? (typeof aide.date_created === 'string' ? aide.date_created : null);
    if (run.mode === 'incrementale' && connue && connue.statut !== 'retiree' && memeDate(connue.at_date_updated, version)) {
      bilan.inchangees++;
      continue;
    }
    const converti = itemCatalogue(aide, departement, lieux);
    if ('raison' in converti) {
      ignorer(aide, converti.raison);
      continue;
    }
    const { aides, erreurs } = parseCatalogue([converti.item]);
    if (erreurs.length || !aides[0]) {
      ignorer(aide, erreurs.map((e) => erreurTexte(e)).join(' ; ').replace(/^Aide n°\s*1\s*[,:·-]?\s*/, ''));
      continue;
    }
    const input = aides[0];
    // The slug is the catalogue's key: an aid of Atelier's own (a financer's, or another upstream
    // aid) keeps it; the shipped catalogue's copy of an aides-territoires aid is taken over.
    const porteur = parSlug.get(input.slug);
    if ((porteur && porteur.id !== connue?.id && (connue || porteur.organisation_id || (porteur.at_id && porteur.at_id !== atId))) || slugsPris.has(input.slug)) {
      ignorer(aide, `le slug « ${input.slug} » est déjà celui d’une autre aide d’Atelier`);
      continue;
    }
    slugsPris.add(input.slug);
    aEcrire.push({
      input,
      atId,
      atUrl: client.pageAide(aide),
      dateUpdated: version,
      // Renamed upstream: the known aid takes its new slug (its enrichment and counters stay).
      renommer: connue && connue.slug !== input.slug && !porteur ? connue.id : null,
    });
  }

  const listeesIds = listees.map((l) => String(l.aide.id));
  const [aRetirer] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM aides WHERE at_id IS NOT NULL AND NOT (at_id = ANY(${textArray(listeesIds)})) AND statut = ANY(${textArray(TRANSITIONS_AIDE.retirer.depuis)})`,
  );
  const fin = (tx: Executor, b: { creees: number; mises_a_jour: number; retirees: number }) =>
    tx.execute(sql`UPDATE aides_synchronisations SET statut = 'reussie', fin = now(), pages = ${lecture.pages}, lues = ${listees.length},
      creees = ${b.creees}, mises_a_jour = ${b.mises_a_jour}, retirees = ${b.retirees}, inchangees = ${bilan.inchangees}, ignorees = ${bilan.ignorees},
      details = ${JSON.stringify(details)}::jsonb WHERE id = ${run.id}`);

  if (!aEcrire.length && !aRetirer?.n) {
    // Nothing changed upstream: the catalogue (and so the search index's version) is left alone.
    await fin(db, { creees: 0, mises_a_jour: 0, retirees: 0 });
    return;
  }

  const r = await executerImport<(typeof aEcrire)[number], ReturnType<typeof parseCatalogue>['erreurs'][number], { aides: number; retirees: number }>(
    db,
    { actor: opts.actor, fichier: `aides-territoires (synchronisation n° ${run.id})`, dryRun: false, requestId: opts.requestId, departement: null },
    {
      entite: 'aides_synchronisation',
      erreurFichier: (message) => ({ ligne: 0, colonne: '', champ: '', valeur: null, message }),
      verifier: async () => ({ lignes: listees.length, entrees: aEcrire }),
      async ecrire(tx, entrees, suivi) {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${SYNC_LOCK})`);
        for (const e of entrees) if (e.renommer) await tx.execute(sql`UPDATE aides SET slug = ${e.input.slug} WHERE id = ${e.renommer}::uuid`);
        const ecrites = await upsertAides(tx, entrees.map((e) => e.input));
        await suivi.progression('enregistrement', entrees.length, entrees.length);
        const parSlugEcrit = new Map(ecrites.map((x) => [x.slug, x]));
        const lignes = entrees.map((e) => ({ id: parSlugEcrit.get(e.input.slug)!.id, ...e }));
        for (let i = 0; i < lignes.length; i += 500) {
          const lot = lignes.slice(i, i + 500);
          await tx.execute(sql`UPDATE aides a SET at_id = v.at_id, at_url = v.at_url, at_date_updated = nullif(v.du, '')::timestamptz
            FROM unnest(${textArray(lot.map((l) => l.id))}::uuid[], ${textArray(lot.map((l) => l.atId))}, ${textArray(lot.map((l) => l.atUrl))},
              ${textArray(lot.map((l) => l.dateUpdated ?? ''))}) AS v(id, at_id, at_url, du)
            WHERE a.id = v.id`);
        }
        // Listed again after a withdrawal: published (or expired at once when its deadline has passed).
        const reprises = await rows<{ id: string }>(
          tx,
          sql`UPDATE aides SET statut = CASE WHEN submission_deadline < current_date THEN 'expiree' ELSE ${TRANSITIONS_AIDE.reprendre.vers} END, updated_at = now()
            WHERE id = ANY(${textArray(lignes.map((l) => l.id))}::uuid[]) AND statut = ANY(${textArray(TRANSITIONS_AIDE.reprendre.depuis)}) RETURNING id`,
        );
        const retirees = await rows<{ id: string; slug: string }>(
          tx,
          sql`UPDATE aides SET statut = ${TRANSITIONS_AIDE.retirer.vers}, updated_at = now()
            WHERE at_id IS NOT NULL AND NOT (at_id = ANY(${textArray(listeesIds)})) AND statut = ANY(${textArray(TRANSITIONS_AIDE.retirer.depuis)}) RETURNING id, slug`,
        );
        await recordAuditMany(tx, opts.actor, [
          ...retirees.map((a) => ({ action: `statut:${TRANSITIONS_AIDE.retirer.vers}`, entityType: 'aide', entityId: a.id, after: { statut: TRANSITIONS_AIDE.retirer.vers, motif: 'n’est plus publiée sur aides-territoires' } })),
          ...reprises.map((a) => ({ action: 'statut:publiee', entityType: 'aide', entityId: a.id, after: { motif: 'de nouveau publiée sur aides-territoires' } })),
        ], opts.requestId);
        if (entrees.length) await ensureFinanceurs(tx, entrees.flatMap((e) => e.input.financers));
        await refreshTermes(tx);
        const creees = ecrites.filter((x) => x.inserted).length;
        const b = { creees, mises_a_jour: ecrites.length - creees, retirees: retirees.length };
        await fin(tx, b);
        return { ...b, aides: ecrites.length };
      },
      async apres(db) {
        await db.execute(sql`ANALYZE aides`);
        invalidateVocabulaire();
      },
    },
  );
  if (r.erreurs.length) throw new Error(`Écriture refusée : ${r.erreurs.map((e) => e.message).join(' ; ')}`);
}

/** The last runs, newest first. */
export async function dernieresSynchronisations(db: Executor, n = 10): Promise<Synchronisation[]> {
  return rows<Synchronisation>(db, sql`SELECT ${COLONNES} FROM aides_synchronisations ORDER BY id DESC LIMIT ${n}`);
}

/** What the admin page shows: configured or not, the last runs, the catalogue's synced aids. */
export async function etatSynchronisation(db: Executor, config: Config) {
  const [n] = await rows<{ synchronisees: number; retirees: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE statut <> 'retiree')::int AS synchronisees, count(*) FILTER (WHERE statut = 'retiree')::int AS retirees
      FROM aides WHERE at_id IS NOT NULL`,
  );
  const runs = await dernieresSynchronisations(db, 10);
  const [reussie] = await rows<{ fin: string }>(db, sql`SELECT fin::text AS fin FROM aides_synchronisations WHERE statut = 'reussie' ORDER BY id DESC LIMIT 1`);
  const c = config.aidesTerritoires;
  return {
    configuree: Boolean(c.apiKey),
    message: c.apiKey
      ? null
      : 'Synchronisation avec aides-territoires désactivée : aucune clé d’API configurée (AIDES_TERRITOIRES_API_KEY). Rien n’est importé automatiquement.',
    url: c.url,
    intervalle_heures: c.everyMs / 3600_000,
    publics: c.publics,
    departements: config.departements,
    aides_synchronisees: n?.synchronisees ?? 0,
    aides_retirees: n?.retirees ?? 0,
    derniere_reussie: reussie?.fin ?? null,
    derniere: runs[0] ?? null,
    historique: runs,
  };
}
