import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvLignes } from './csv.js';

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    const text = '\uFEFFa,b\r\n"x, y","il a dit ""oui"""\r\n1,\n';
    expect(parseCsv(text)).toEqual([
      { a: 'x, y', b: 'il a dit "oui"' },
      { a: '1', b: '' },
    ]);
  });

  it('gives the line where each record starts, past blank lines and quoted line breaks', () => {
    const text = 'a;b\r\n1;2\r\n\r\n"trois\nlignes\nici";4\n;\n5;6\n';
    expect(parseCsvLignes(text, ';').map((r) => [r.ligne, r.valeurs.a])).toEqual([
      [2, '1'],
      [4, 'trois\nlignes\nici'],
      [8, '5'],
    ]);
  });

  it('round-trips any table written with RFC 4180 quoting', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', ' ', '1') , minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 10 }), (table) => {
        const text = ['h1,h2', ...table.map(([x, y]) => `${quote(x)},${quote(y)}`)].join('\r\n');
        expect(parseCsv(text)).toEqual(table.map(([x, y]) => ({ h1: x, h2: y })));
      }),
    );
  });
});
