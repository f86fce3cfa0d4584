import { describe, expect, it } from 'vitest';
import { compter, contient, effacer, et, mots, ou, pourChaque, poser } from './bitset.js';

describe('bitset', () => {
  it('sets, clears, counts and lists documents, across word boundaries', () => {
    const b = new Uint32Array(mots(100));
    for (const d of [0, 31, 32, 63, 64, 99]) poser(b, d);
    effacer(b, 63);
    expect(contient(b, 31)).toBe(true);
    expect(contient(b, 63)).toBe(false);
    expect(compter(b)).toBe(5);
    const seen: number[] = [];
    pourChaque(b, (d) => seen.push(d));
    expect(seen).toEqual([0, 31, 32, 64, 99]);
  });

  it('unions and intersections agree with sets', () => {
    const n = 1000;
    const a = new Uint32Array(mots(n));
    const b = new Uint32Array(mots(n));
    const sa = new Set<number>();
    const sb = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const x = (i * 7919) % n;
      const y = (i * 104729 + 13) % n;
      poser(a, x);
      sa.add(x);
      poser(b, y);
      sb.add(y);
    }
    const u = a.slice();
    ou(u, b);
    const inter = a.slice();
    et(inter, b);
    expect(compter(u)).toBe(new Set([...sa, ...sb]).size);
    expect(compter(inter)).toBe([...sa].filter((x) => sb.has(x)).length);
  });
});
