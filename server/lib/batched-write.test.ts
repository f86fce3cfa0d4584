import { describe, expect, it } from 'vitest';
import { BatchedWrite } from './batched-write.js';

describe('BatchedWrite', () => {
  it('writes the items of one turn in one call and gives each caller its own result', async () => {
    const calls: number[][] = [];
    const w = new BatchedWrite<number, string>(async (items) => {
      calls.push(items);
      return items.map((x) => `#${x}`);
    });
    const first = await Promise.all([w.add(1), w.add(2), w.add(3)]);
    expect(first).toEqual(['#1', '#2', '#3']);
    const later = await w.add(4);
    expect(later).toBe('#4');
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('splits at the batch size, and a failed write fails its callers only', async () => {
    const calls: number[][] = [];
    const w = new BatchedWrite<number, number>(async (items) => {
      calls.push(items);
      if (items.includes(13)) throw new Error('refusé');
      return items;
    }, 2);
    const r = await Promise.allSettled([w.add(1), w.add(2), w.add(13), w.add(4)]);
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(calls).toEqual([[1, 2], [13, 4]]);
    expect(await w.add(5)).toBe(5);
  });

  it('an item whose result is an error fails its caller only', async () => {
    const w = new BatchedWrite<number, number>(async (items) => items.map((x) => (x === 13 ? new Error('refusé') : x)));
    const r = await Promise.allSettled([w.add(1), w.add(13), w.add(2)]);
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('refuses a write that does not return one result per item', async () => {
    const w = new BatchedWrite<number, number>(async (items) => items.slice(1));
    await expect(Promise.all([w.add(1), w.add(2)])).rejects.toThrow(/2 éléments/);
  });
});
