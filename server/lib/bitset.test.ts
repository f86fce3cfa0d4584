import { describe, expect, it } from 'vitest';
import { countBits, hasBit, clearBit, andInto, wordsFor, orInto, forEachBit, setBit } from './bitset.js';

describe('bitset', () => {
  it('sets, clears, counts and lists documents, across word boundaries', () => {
    const b = new Uint32Array(wordsFor(100));
    for (const d of [0, 31, 32, 63, 64, 99]) setBit(b, d);
    clearBit(b, 63);
    expect(hasBit(b, 31)).toBe(true);
    expect(hasBit(b, 63)).toBe(false);
    expect(countBits(b)).toBe(5);
    const seen: number[] = [];
    forEachBit(b, (d) => seen.push(d));
    expect(seen).toEqual([0, 31, 32, 64, 99]);
  });

  it('unions and intersections agree with sets', () => {
    const n = 1000;
    const a = new Uint32Array(wordsFor(n));
    const b = new Uint32Array(wordsFor(n));
    const sa = new Set<number>();
    const sb = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const x = (i * 7919) % n;
      const y = (i * 104729 + 13) % n;
      setBit(a, x);
      sa.add(x);
      setBit(b, y);
      sb.add(y);
    }
    const u = a.slice();
    orInto(u, b);
    const inter = a.slice();
    andInto(inter, b);
    expect(countBits(u)).toBe(new Set([...sa, ...sb]).size);
    expect(countBits(inter)).toBe([...sa].filter((x) => sb.has(x)).length);
  });
});
