/**
 * The search log (the statistics of solution 3: searches per month, frequent queries, queries that
 * found nothing or were not followed by a click), written behind the answer.
 *
 * A search gets its log id at once, from a block of ids this instance reserved from the table's
 * sequence (unique across instances), and returns it to the client for click tracking; its row is
 * written with the other rows of the next few milliseconds by one INSERT. The rows wait in memory
 * at most `delaiMs` (10 ms) and are flushed when the application closes: a crash can lose the last
 * few milliseconds of statistics, never a user's data. Reading the statistics or counting a click
 * on this instance flushes first (read-your-writes). Measured: waiting for the row before answering
 * cost a quarter of the search throughput (decision 0008).
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';

export interface EntreeJournal {
  texte: string | null;
  /** The filters as JSON text. */
  filtres: string;
  audience: string | null;
  nbResultats: number;
  source: string;
}

const BLOC = 100;

export class JournalRecherches {
  private ids: number[] = [];
  private reservation: Promise<void> | undefined;
  private attente: (EntreeJournal & { id: number })[] = [];
  private minuterie: NodeJS.Timeout | undefined;
  private readonly ecritures = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly delaiMs = 10,
    private readonly lot = 200,
  ) {}

  /** A log id for a search about to be logged. */
  async identifiant(): Promise<number> {
    while (!this.ids.length) {
      this.reservation ??= rows<{ id: string }>(this.db, sql`SELECT nextval(pg_get_serial_sequence('aides_recherches', 'id'))::text AS id FROM generate_series(1, ${BLOC})`)
        .then((r) => {
          this.ids.push(...r.map((x) => Number(x.id)));
        })
        .finally(() => {
          this.reservation = undefined;
        });
      await this.reservation;
    }
    return this.ids.shift()!;
  }

  /** Queues the row of search `id`; written within `delaiMs`. */
  ecrire(id: number, e: EntreeJournal): void {
    this.attente.push({ ...e, id });
    if (this.attente.length >= this.lot) this.vidanger();
    else this.minuterie ??= setTimeout(() => this.vidanger(), this.delaiMs);
  }

  /** Writes what waits, and waits for every write started. */
  async vider(): Promise<void> {
    this.vidanger();
    await Promise.all([...this.ecritures]);
  }

  private vidanger(): void {
    clearTimeout(this.minuterie);
    this.minuterie = undefined;
    const lot = this.attente;
    if (!lot.length) return;
    this.attente = [];
    const p = this.inserer(lot)
      .catch(async () => {
        // One row the database refuses must not take the others with it.
        for (const e of lot) await this.inserer([e]).catch((err: unknown) => console.error(`Journal des recherches d’aides : ligne ${e.id} non écrite (${(err as Error).message}).`));
      })
      .finally(() => this.ecritures.delete(p));
    this.ecritures.add(p);
  }

  private async inserer(lot: (EntreeJournal & { id: number })[]): Promise<void> {
    await this.db.execute(sql`INSERT INTO aides_recherches (id, texte, filtres, audience, nb_resultats, source)
      VALUES ${sql.join(
        lot.map((e) => sql`(${e.id}, ${e.texte}, ${e.filtres}::jsonb, ${e.audience}, ${e.nbResultats}, ${e.source})`),
        sql`, `,
      )}`);
  }
}

const journaux = new WeakMap<Db, JournalRecherches>();

/** This instance's log writer for a database. */
export function journalRecherches(db: Db): JournalRecherches {
  let j = journaux.get(db);
  if (!j) journaux.set(db, (j = new JournalRecherches(db)));
  return j;
}
