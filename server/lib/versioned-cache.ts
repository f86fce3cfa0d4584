/**
 * A per-instance cache of answers that are valid for one version of their source data. The caller
 * reads the current version from the database on every request (one cheap query) and gets the
 * stored answer only if it was computed for that very version: a write committed through any app
 * instance bumps the version, so no instance ever serves a stale answer and nothing needs
 * invalidating across processes. Bounded by bytes, least recently used first out.
 */
export class VersionedCache {
  private readonly entries = new Map<string, { version: string; body: string; bytes: number }>();
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
