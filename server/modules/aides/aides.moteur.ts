/**
 * Keeps this instance's in-memory search index (aides.index.ts) at the catalogue's current version.
 * The database is the reference: the version (`aides_index_version`, bumped at commit by every
 * transaction that changes what the search reads) is read once per event-loop turn for all the
 * searches of that turn; when it moved, the aids changed since the index's version are read and
 * applied, or, when too many changed or their record was purged, the index is rebuilt. A search
 * therefore never answers from data older than the last commit it could see, whichever instance or
 * script wrote, and no state lives only in this process (see the migration aides_index_version).
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { CoalescedRead } from '../../lib/coalesced-read.js';
import { IndexAides, type LigneAide } from './aides.index.js';

const COLONNES = sql.raw(`a.id, a.slug, a.statut, a.name, a.search_vector::text AS vecteur, a.targeted_audiences, a.perimeter_code,
  a.aid_types, a.operation_types, a.produits, a.categories, a.publiee_le::text AS publiee_le, a.submission_deadline::text AS submission_deadline, a.logement_social`);

const LOT = 5000;
/** Records kept for result pages (about 2 KB each). */
const MAX_FICHES = 20_000;

interface Version {
  version: number;
  purge: number;
}

export class MoteurAides {
  private index: IndexAides | undefined;
  private enCours: Promise<IndexAides> | undefined;
  private readonly version: CoalescedRead<Version>;
  /** Rebuilds and incremental refreshes, for the logs and the tests. */
  readonly stats = { reconstructions: 0, miseAJour: 0 };
  /**
   * Records shown on result pages, by aid id, kept until the aid changes: the change feed that
   * refreshes the index evicts them. A record read at version v is kept only when its aid has not
   * changed after v as far as this instance knows (`changeeA`), and v is not older than the last
   * rebuild (`plancher`): a slow read cannot put back a record older than an eviction.
   */
  private readonly fichesLues = new Map<string, unknown>();
  private readonly changeeA = new Map<string, number>();
  private plancher = 0;

  constructor(private readonly db: Db) {
    this.version = new CoalescedRead(async () => {
      const [v] = await rows<{ version: string; purge: string }>(db, sql`SELECT version::text AS version, purge::text AS purge FROM aides_index_version WHERE id = 1`);
      return { version: Number(v?.version ?? 0), purge: Number(v?.purge ?? 0) };
    });
  }

  /** The index, at least at the version committed when the call was made. */
  async courant(): Promise<IndexAides> {
    const v = await this.version.get();
    for (;;) {
      const ix = this.index;
      if (ix && ix.version >= v.version) return ix;
      // One refresh at a time; a caller that read a newer version than the refresh reached goes again.
      this.enCours ??= this.rafraichir(v).finally(() => {
        this.enCours = undefined;
      });
      const r = await this.enCours;
      if (r.version >= v.version) return r;
    }
  }

  private async rafraichir(v: Version): Promise<IndexAides> {
    const ix = this.index;
    if (ix && v.purge <= ix.version) {
      // The aids changed since the index's version, read in the same statement as the version and
      // the purge mark (a purge committed after the version read above must not go unseen).
      const lignes = await rows<LigneAide & { v: string; purge: string; changee: string | null; cv: string | null }>(
        this.db,
        sql`WITH v AS (SELECT version, purge FROM aides_index_version WHERE id = 1),
          ch AS (SELECT aide_id, max(version) AS cv FROM aides_changements WHERE version > ${ix.version} GROUP BY aide_id LIMIT ${ix.maxDelta + 1})
          SELECT v.version::text AS v, v.purge::text AS purge, ch.aide_id AS changee, ch.cv::text AS cv, ${COLONNES}
          FROM v LEFT JOIN ch ON true LEFT JOIN aides a ON a.id = ch.aide_id`,
      );
      const version = Number(lignes[0]?.v ?? v.version);
      const purge = Number(lignes[0]?.purge ?? v.purge);
      // A read replica behind the one the version came from: nothing newer to apply yet.
      if (version <= ix.version) return ix;
      const changes = lignes.filter((l) => l.changee).map((l) => ({ id: l.changee!, ligne: l.id ? l : null }));
      if (purge <= ix.version && changes.length <= ix.maxDelta && ix.appliquer(changes, version)) {
        for (const l of lignes) {
          if (!l.changee) continue;
          this.fichesLues.delete(l.changee);
          this.changeeA.set(l.changee, Number(l.cv));
        }
        if (this.changeeA.size > MAX_FICHES * 4) {
          this.changeeA.clear();
          this.fichesLues.clear();
          this.plancher = version;
        }
        this.stats.miseAJour++;
        return ix;
      }
    }
    return this.reconstruire();
  }

  /**
   * Reads the whole catalogue and builds a new index: batches of `LOT` aids in one read-only
   * repeatable-read transaction (one snapshot, with its version), parsed as they come so that the
   * vectors' text is never all in memory at once.
   */
  async reconstruire(): Promise<IndexAides> {
    const ix = await this.db.transaction(
      async (tx) => {
        const [v] = await rows<{ version: string }>(tx, sql`SELECT version::text AS version FROM aides_index_version WHERE id = 1`);
        const b = IndexAides.construire(Number(v?.version ?? 0));
        let apres = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const lot = await rows<LigneAide>(tx, sql`SELECT ${COLONNES} FROM aides a WHERE a.id > ${apres}::uuid ORDER BY a.id LIMIT ${LOT}`);
          for (const l of lot) b.ajouter(l);
          if (lot.length < LOT) break;
          apres = lot[lot.length - 1]!.id;
        }
        return b.finir();
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    this.stats.reconstructions++;
    if (!this.index || this.index.version <= ix.version) {
      this.index = ix;
      this.fichesLues.clear();
      this.changeeA.clear();
      this.plancher = ix.version;
    }
    return ix;
  }

  /**
   * The records of `ids` (those that exist), from the records kept or read with `charger`, which
   * returns them with the catalogue version of its snapshot. Call after `courant()`.
   */
  async fiches<T extends { id: string }>(ids: string[], charger: (ids: string[]) => Promise<{ version: number; lignes: T[] }>): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    const manquantes: string[] = [];
    for (const id of ids) {
      const f = this.fichesLues.get(id) as T | undefined;
      if (f) out.set(id, f);
      else manquantes.push(id);
    }
    if (!manquantes.length) return out;
    const { version, lignes } = await charger(manquantes);
    for (const l of lignes) {
      out.set(l.id, l);
      if (version >= this.plancher && version >= (this.changeeA.get(l.id) ?? 0)) {
        if (this.fichesLues.size >= MAX_FICHES) this.fichesLues.delete(this.fichesLues.keys().next().value!);
        this.fichesLues.set(l.id, l);
      }
    }
    return out;
  }
}

/** One engine per database handle (the primary, or the reader that searches use). */
const moteurs = new WeakMap<Db, MoteurAides>();

export function moteurAides(db: Db): MoteurAides {
  let m = moteurs.get(db);
  if (!m) moteurs.set(db, (m = new MoteurAides(db)));
  return m;
}
