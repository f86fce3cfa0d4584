import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FichierIllisible } from './erreur.js';
import { decoderTexte, detecterSeparateur, lireFeuille, lireGeoJson, lireJson } from './lecture.js';

const opts = { maxLignes: 10 };

describe('file readers', () => {
  it('decodes UTF-8 (BOM removed) and windows-1252 (€, œ, accents)', () => {
    expect(decoderTexte(Buffer.from('\uFEFFNîmes;€', 'utf8'))).toBe('Nîmes;€');
    expect(decoderTexte(Buffer.from([0x4e, 0xee, 0x6d, 0x65, 0x73, 0x3b, 0x80, 0x3b, 0x9c, 0x75, 0x76, 0x72, 0x65]))).toBe('Nîmes;€;œuvre');
  });

  it('detects `;`, `,` and tab, ignoring separators inside quotes', () => {
    expect(detecterSeparateur('a;b;c')).toBe(';');
    expect(detecterSeparateur('a,b,c')).toBe(',');
    expect(detecterSeparateur('a\tb\tc')).toBe('\t');
    expect(detecterSeparateur('"x;y;z",b,c')).toBe(',');
    expect(detecterSeparateur('seul')).toBe(',');
  });

  it('reads a csv sheet: a title line before the header, the file’s own line numbers, neutralising quotes removed', async () => {
    const csv = 'Titre du fichier\r\nnom\tvaleur\r\n\r\n\'=1+2\t-3\r\n"deux\nlignes"\t\'-3\r\n';
    const f = await lireFeuille(Buffer.from(csv, 'utf8'), 'x.csv', { ...opts, estEntete: (c) => c.includes('nom') });
    expect(f.ligneEntete).toBe(2);
    expect(f.entetes).toEqual(['nom', 'valeur']);
    expect(f.lignes).toEqual([
      { numero: 4, cellules: ['=1+2', '-3'] },
      { numero: 5, cellules: ['deux\nlignes', '-3'] },
    ]);
  });

  it('reads an xlsx sheet with typed cells; text is taken as written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('A');
    ws.addRow(['nom', 'n', 'd']);
    ws.addRow(["'=x", 4.5, new Date(Date.UTC(2025, 0, 2))]);
    const f = await lireFeuille(Buffer.from(await wb.xlsx.writeBuffer()), 'x.xlsx', opts);
    expect(f.lignes[0]!.cellules).toEqual(["'=x", 4.5, new Date(Date.UTC(2025, 0, 2))]);
  });

  it('refuses unreadable files and too many rows with a French message', async () => {
    await expect(lireFeuille(Buffer.from('PK\u0003\u0004garbage'), 'x.xlsx', opts)).rejects.toThrow(/Fichier illisible/);
    await expect(lireFeuille(Buffer.from(['h', ...Array.from({ length: 11 }, (_, i) => String(i))].join('\n')), 'x.csv', opts)).rejects.toThrow(/au plus 10/);
    await expect(lireFeuille(Buffer.from('a;b\n'), 'x.csv', { ...opts, estEntete: () => false, enteteIntrouvable: 'en-tête introuvable' })).rejects.toThrow(FichierIllisible);
    expect(() => lireJson(Buffer.from('{"a":'))).toThrow(/JSON illisible/);
    expect(() => lireGeoJson(Buffer.from('{"type":"Point"}'), 5)).toThrow(/FeatureCollection/);
    expect(lireGeoJson(Buffer.from('\uFEFF{"type":"Feature","geometry":null}'), 5).features).toHaveLength(1);
  });
});
