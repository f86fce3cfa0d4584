/**
 * Spreadsheet values as people type them: Excel dates or jj/mm/aaaa, numbers with spaces, commas or
 * a euro sign. Each parser returns the value or a French reason. Shared by every importer.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const ko = (message: string): Parsed<never> => ({ ok: false, message });

/** Excel's day 0 is 1899-12-30 (with the 1900 leap-year bug folded in). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function isoIfValid(y: number, m: number, d: number): string | undefined {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  if (y < 1950 || y > 2100) return undefined;
  return dt.toISOString().slice(0, 10);
}

export function parseDate(v: unknown): Parsed<string> {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return ko('date illisible');
    const iso = isoIfValid(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
    return iso ? ok(iso) : ko('date hors de la période 1950–2100');
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 18264 || v > 73415) return ko('nombre qui n’est pas une date Excel plausible (1950–2100)');
    const dt = new Date(EXCEL_EPOCH_MS + Math.floor(v) * 86_400_000);
    return ok(dt.toISOString().slice(0, 10));
  }
  const s = String(v).trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) {
    const iso = isoIfValid(Number(m[3]), Number(m[2]), Number(m[1]));
    return iso ? ok(iso) : ko('date inexistante (jj/mm/aaaa attendu)');
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  if (m) {
    const iso = isoIfValid(Number(m[1]), Number(m[2]), Number(m[3]));
    return iso ? ok(iso) : ko('date inexistante');
  }
  if (/^\d+([.,]\d+)?$/.test(s)) return parseDate(Number(s.replace(',', '.')));
  return ko('date illisible : jj/mm/aaaa attendu');
}

export function parseNombre(v: unknown): Parsed<number> {
  if (typeof v === 'number') return Number.isFinite(v) ? ok(v) : ko('nombre illisible');
  let s = String(v).replace(/[\s\u00a0\u202f€]/g, '');
  if (s === '') return ko('nombre vide');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    // Both separators: the last one is the decimal mark, the other groups thousands.
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    s = (s.match(/,/g)!.length > 1 ? s.replace(/,/g, '') : s.replace(',', '.'));
  }
  if (!/^-?\d+(\.\d+)?$/.test(s)) return ko('nombre illisible');
  return ok(Number(s));
}

export function parseEntier(v: unknown): Parsed<number> {
  const n = parseNombre(v);
  if (!n.ok) return n;
  if (!Number.isInteger(n.value)) return ko('nombre entier attendu');
  if (n.value < 0) return ko('nombre positif attendu');
  return n;
}

/**
 * Lower case, no accents, punctuation as single spaces: how headers, labels and names of a file are
 * compared with the expected ones (« N° SIAP », "n siap" and "N_SIAP" are the same column).
 */
export function normaliser(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .toLowerCase()
    .replace(/[’'`°€]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
