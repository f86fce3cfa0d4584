import { describe, expect, it } from 'vitest';
import { CoalescedRead } from './coalesced-read.js';

describe('CoalescedRead', () => {
  it('shares one read among the callers of the same turn, and starts it after all of them', async () => {
    let value = 1;
    let reads = 0;
    const r = new CoalescedRead(async () => {
      reads++;
      return value;
    });
    const first = [r.get(), r.get(), r.get()];
    value = 2; // a write committed after the callers asked, before the read started
    expect(await Promise.all(first)).toEqual([2, 2, 2]);
    expect(reads).toBe(1);
  });

  it('never hands a caller a read that started before it asked', async () => {
    let value = 1;
    let release: () => void = () => {};
    const r = new CoalescedRead(async () => {
      const seen = value;
      await new Promise<void>((done) => (release = done));
      return seen;
    });
    const early = r.get();
    await new Promise((done) => setImmediate(done)); // the first read has started (and saw 1)
    value = 2;
    const late = r.get(); // must not join the running read
    release();
    expect(await early).toBe(1);
    await new Promise((done) => setImmediate(done));
    release();
    expect(await late).toBe(2);
  });

  it('passes a failure to the callers that shared the read, and reads again afterwards', async () => {
    let fail = true;
    const r = new CoalescedRead(async () => {
      if (fail) throw new Error('base indisponible');
      return 'ok';
    });
    await expect(Promise.all([r.get(), r.get()])).rejects.toThrow('base indisponible');
    fail = false;
    expect(await r.get()).toBe('ok');
  });
});
