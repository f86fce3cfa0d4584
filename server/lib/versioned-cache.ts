/**
 * A per-instance cache of answers that are valid for one version of their source data. The caller
 * reads the current version from the database on every request (one cheap query) and gets the
 * stored answer only if it was computed for that very version: a write committed through any app
 * instance bumps the version, so no instance ever serves a stale answer and nothing needs
 * invalidating across processes. Bounded by bytes, least recently used first out.
 */
export class VersionedCache {
  private readonly entries = new Map<string, { version: string; body: string; bytes: number }>();
  private readonly pending = new Map<string, Promise<string>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get(key: string, version: string): string | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.version !== version) {
      this.remove(key);
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.body;
  }

  set(key: string, version: string, body: string): void {
    const bytes = body.length * 2 + key.length * 2;
    if (!this.enabled || bytes > this.maxBytes / 4) return;
    this.remove(key);
    this.entries.set(key, { version, body, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /**
   * The answer for `key` at `version` (the version the caller has just read): from the cache, from
   * a computation already running for the same key and version (a burst of requests after a write
   * runs the query once, not once per request), or from `compute`, which returns the answer with
   * the version it was read at (its own snapshot, at least as recent as `version`).
   */
  getOrCompute(key: string, version: string, compute: () => Promise<{ version: string; body: string }>): Promise<string> {
    const hit = this.get(key, version);
    if (hit !== undefined) return Promise.resolve(hit);
    const flight = `${version}\u0000${key}`;
    const running = this.pending.get(flight);
    if (running) return running;
    const promise = compute()
      .then((r) => {
        this.set(key, r.version, r.body);
        return r.body;
      })
      .finally(() => this.pending.delete(flight));
    this.pending.set(flight, promise);
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}
