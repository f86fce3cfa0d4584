import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate, parseEntier, parseNombre } from './valeurs.js';

const value = <T>(p: { ok: boolean; value?: T }) => (p.ok ? p.value : undefined);

describe('spreadsheet values', () => {
  it('reads dates as Excel serials, Date cells, jj/mm/aaaa and ISO', () => {
    expect(value(parseDate(45658))).toBe('2025-01-01');
    expect(value(parseDate(new Date(Date.UTC(2024, 1, 29))))).toBe('2024-02-29');
    expect(value(parseDate('05/03/2025'))).toBe('2025-03-05');
    expect(value(parseDate('5.3.2025'))).toBe('2025-03-05');
    expect(value(parseDate('2025-03-05'))).toBe('2025-03-05');
    expect(parseDate('31/02/2025').ok).toBe(false);
    expect(parseDate('demain').ok).toBe(false);
    expect(parseDate(12).ok).toBe(false);
  });

  it('reads numbers with spaces, commas, dots and a euro sign', () => {
    expect(value(parseNombre('1 234 567,89 €'))).toBe(1234567.89);
    expect(value(parseNombre('1\u202f234,5'))).toBe(1234.5);
    expect(value(parseNombre('1.234.567,89'))).toBe(1234567.89);
    expect(value(parseNombre('1,234,567.89'))).toBe(1234567.89);
    expect(value(parseNombre('12,5'))).toBe(12.5);
    expect(parseNombre('douze').ok).toBe(false);
    expect(value(parseEntier('12'))).toBe(12);
    expect(parseEntier('12,5').ok).toBe(false);
    expect(parseEntier('-3').ok).toBe(false);
  });

  it('round-trips any date written as jj/mm/aaaa or as an Excel serial', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-02'), max: new Date('2099-12-30'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-');
        expect(value(parseDate(`${day}/${m}/${y}`))).toBe(iso);
        const serial = Math.round((Date.UTC(Number(y), Number(m) - 1, Number(day)) - Date.UTC(1899, 11, 30)) / 86_400_000);
        expect(value(parseDate(serial))).toBe(iso);
      }),
    );
  });

  it('round-trips any amount written the French way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => {
        const n = cents / 100;
        const [int, dec] = n.toFixed(2).split('.');
        const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
        expect(value(parseNombre(`${grouped},${dec} €`))).toBeCloseTo(n, 2);
      }),
    );
  });
});
