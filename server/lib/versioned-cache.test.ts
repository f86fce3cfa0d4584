import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.js';

describe('VersionedCache', () => {
  it('serves an answer only for the version it was computed with', () => {
    const c = new VersionedCache(1_000_000);
    c.set('k', '7', 'body');
    expect(c.get('k', '7')).toBe('body');
    expect(c.get('k', '8')).toBeUndefined();
    // A stale entry is dropped, not kept for a later read of the old version.
    expect(c.get('k', '7')).toBeUndefined();
  });

  it('evicts the least recently used entries beyond its byte budget', () => {
    const c = new VersionedCache(4 * 100 * 2 + 64); // room for about four 100-character answers
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, '1', 'x'.repeat(100));
    expect(c.get('a', '1')).toBeDefined(); // a is now the most recently used
    c.set('e', '1', 'x'.repeat(100));
    expect(c.get('b', '1')).toBeUndefined();
    expect(c.get('a', '1')).toBeDefined();
    expect(c.get('e', '1')).toBeDefined();
  });

  it('stores nothing when disabled, and never an answer larger than a quarter of its budget', () => {
    const off = new VersionedCache(0);
    off.set('k', '1', 'body');
    expect(off.get('k', '1')).toBeUndefined();
    const small = new VersionedCache(1000);
    small.set('k', '1', 'x'.repeat(400));
    expect(small.size).toBe(0);
  });

  it('runs one computation for concurrent misses of the same key and version, not for another version', async () => {
    const c = new VersionedCache(1_000_000);
    let runs = 0;
    const compute = (version: string) => async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      return { version, body: `page@${version}` };
    };
    const same = await Promise.all([c.getOrCompute('k', '3', compute('3')), c.getOrCompute('k', '3', compute('3')), c.getOrCompute('k', '3', compute('3'))]);
    expect(same).toEqual(['page@3', 'page@3', 'page@3']);
    expect(runs).toBe(1);
    expect(await c.getOrCompute('k', '3', compute('3'))).toBe('page@3'); // cached
    expect(runs).toBe(1);
    expect(await c.getOrCompute('k', '4', compute('4'))).toBe('page@4'); // a newer version is recomputed
    expect(runs).toBe(2);
  });

  it('forgets a failed computation so that the next request tries again', async () => {
    const c = new VersionedCache(1_000_000);
    await expect(c.getOrCompute('k', '1', () => Promise.reject(new Error('panne')))).rejects.toThrow('panne');
    expect(await c.getOrCompute('k', '1', async () => ({ version: '1', body: 'ok' }))).toBe('ok');
  });
});
