/**
 * One write shared by the callers of the same turn of the event loop: their items go to the
 * database in a single statement (one round trip, one commit) instead of one each, and each caller
 * gets its own result once that statement has committed. Nothing waits beyond the current turn, so
 * nothing is held only in this process's memory: a caller's write is done when its promise resolves.
 */
export class BatchedWrite<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] | undefined;

  /**
   * `write` stores the items and returns one result per item, in the same order; an item whose
   * result is an Error fails its caller only.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<(R | Error)[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (!this.pending) {
        this.pending = [];
        setImmediate(() => this.flush());
      }
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
    });
  }

  private flush() {
    const batch = this.pending;
    if (!batch?.length) return;
    this.pending = undefined;
    this.write(batch.map((b) => b.item)).then(
      (results) => {
        if (results.length !== batch.length) {
          const err = new Error(`Écriture groupée : ${results.length} résultats pour ${batch.length} éléments.`);
          for (const b of batch) b.reject(err);
          return;
        }
        batch.forEach((b, i) => {
          const r = results[i]!;
          if (r instanceof Error) b.reject(r);
          else b.resolve(r);
        });
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }
}
