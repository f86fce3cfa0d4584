/**
 * Fixed-size bit sets over document numbers, as Uint32Array words: set operations run 32 documents
 * per instruction, which is what makes a search over a national catalogue cheap when a query word
 * occurs in most aids.
 */
export type Bits = Uint32Array;

export const wordsFor = (n: number) => (n + 31) >>> 5;

export function setBit(b: Bits, d: number): void {
  b[d >>> 5]! |= 1 << (d & 31);
}

export function clearBit(b: Bits, d: number): void {
  b[d >>> 5]! &= ~(1 << (d & 31));
}

export function hasBit(b: Bits, d: number): boolean {
  return (b[d >>> 5]! & (1 << (d & 31))) !== 0;
}

/** a |= b */
export function orInto(a: Bits, b: Bits): void {
  for (let w = 0; w < a.length; w++) a[w]! |= b[w]!;
}

/** a &= b */
export function andInto(a: Bits, b: Bits): void {
  for (let w = 0; w < a.length; w++) a[w]! &= b[w]!;
}

export function countBits(b: Bits): number {
  let n = 0;
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    n += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/** Calls f for each document of b, in increasing order. */
export function forEachBit(b: Bits, f: (d: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const bas = x & -x;
      f((w << 5) | (31 - Math.clz32(bas)));
      x ^= bas;
    }
  }
}
