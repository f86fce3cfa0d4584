import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deneutraliser, ecrireCsv, estFormule, neutraliser, parseCsv, parseCsvLignes, parseCsvTableau } from './csv.js';

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

describe('ecrireCsv (the one CSV writer)', () => {
  it('writes a BOM, `;`, CRLF, French decimals, and neutralises text a spreadsheet would evaluate (OWASP)', () => {
    const out = ecrireCsv([
      ['nom', 'n', 'x'],
      ['=HYPERLINK("http://x.test","clic")', -3, 4.5],
      ['+33', null, '-2+3'],
      ['@SUM(A1)', 0, '\tcaché'],
      ['a;b', 1, 'ligne\nsuivante'],
    ]).toString('utf8');
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out).toBe(
      '\uFEFFnom;n;x\r\n' +
        '"\'=HYPERLINK(""http://x.test"",""clic"")";-3;4,5\r\n' +
        "'+33;;'-2+3\r\n" +
        "'@SUM(A1);0;'\tcaché\r\n" +
        '"a;b";1;"ligne\nsuivante"\r\n',
    );
    const { enregistrements } = parseCsvTableau(out.replace(/^\uFEFF/, ''), ';');
    for (const r of enregistrements) for (const c of r.champs.filter((c) => !/^-?\d+(,\d+)?$/.test(c))) expect(estFormule(c)).toBe(false);
  });

  it('neutraliser and deneutraliser are inverse on every text, and no neutralised text starts a formula', () => {
    const texte = fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ', '1'), maxLength: 6 });
    fc.assert(
      fc.property(texte, (s) => {
        expect(deneutraliser(neutraliser(s))).toBe(s);
        expect(estFormule(neutraliser(s))).toBe(false);
      }),
    );
  });

  it('round-trips any table through the writer and the reader (text and numbers)', () => {
    const cellule = fc.oneof(fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', ';', '"', '\n', 'é', 'a'), minLength: 1, maxLength: 6 }), fc.integer({ min: -1000, max: 1000 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(cellule, cellule), { minLength: 1, maxLength: 8 }), (table) => {
        const out = ecrireCsv([['h1', 'h2'], ...table]).toString('utf8').replace(/^\uFEFF/, '');
        const lu = parseCsvTableau(out, ';').enregistrements.map((r) => r.champs.map(deneutraliser));
        const attendu = table.filter((l) => l.some((c) => String(c) !== '')).map((l) => l.map(String));
        expect(lu).toEqual(attendu);
      }),
    );
  });
});
