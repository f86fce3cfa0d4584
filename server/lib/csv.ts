/**
 * The one CSV reader and the one CSV writer of the platform.
 *
 * Writing: every export goes through `ecrireCsv` (BOM, `;` by default, CRLF, RFC 4180 quoting), which
 * neutralises a text cell that a spreadsheet would evaluate as a formula (OWASP "CSV injection": a
 * cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading single quote).
 * Reading: `parseCsvLignes` (RFC 4180), and the importers pass every cell through `deneutraliser`,
 * so export → edit → import gives back the values that were exported.
 *
 * Numbers: a cell given as a JS number (an export's count, coordinate or amount) is written as a
 * number (`-3`, `-0,5`), never prefixed: a plain number is not a formula, and prefixing it would
 * turn it into text in the spreadsheet. A *text* that starts with `-` (say, an operation named
 * "-3 rue Basse") is prefixed like any other. An importer removing the quote first, a numeric column
 * edited into `'-3` by hand still reads as -3.
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const DECLENCHEURS = /^[=+\-@\t\r]/;
/** A text the writer prefixes: a trigger, or quotes followed by a trigger (so that the prefix can always be removed again). */
const A_NEUTRALISER = /^'*[=+\-@\t\r]/;

/**
 * A text cell made inert for spreadsheets: prefixed with `'` when it starts with a formula trigger,
 * or with quotes then a trigger (so that `deneutraliser` is its exact inverse on every string).
 */
export function neutraliser(s: string): string {
  return A_NEUTRALISER.test(s) ? `'${s}` : s;
}

/** The inverse of `neutraliser`: one leading quote removed when the writer put it there. */
export function deneutraliser(s: string): string {
  return s.startsWith("'") && A_NEUTRALISER.test(s.slice(1)) ? s.slice(1) : s;
}

/** Whether a text cell would be evaluated by a spreadsheet as written. */
export const estFormule = (s: string) => DECLENCHEURS.test(s);

export interface OptionsCsv {
  /** `;` (default, what French Excel expects) or `,`. */
  separateur?: ';' | ',';
}

/** One cell: null → empty, numbers with the decimal mark of the separator, dates as jj/mm/aaaa, text neutralised. */
function cellule(v: unknown, separateur: string): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') s = separateur === ';' ? String(v).replace('.', ',') : String(v);
  else if (v instanceof Date) s = v.toISOString().slice(0, 10).split('-').reverse().join('/');
  else if (typeof v === 'boolean') s = v ? 'oui' : 'non';
  else s = neutraliser(String(v));
  return s.includes(separateur) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file of rows (the first one being the header): UTF-8 with BOM, CRLF, neutralised text. */
export function ecrireCsv(lignes: unknown[][], opts: OptionsCsv = {}): Buffer {
  const sep = opts.separateur ?? ';';
  const texte = lignes.map((l) => l.map((v) => cellule(v, sep)).join(sep)).join('\r\n');
  return Buffer.from(`\uFEFF${texte}\r\n`, 'utf8');
}

/** The HTTP content type of `ecrireCsv`'s output. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Minimal RFC 4180 reader (quotes, doubled quotes, CRLF) for the small reference files we ship. */
export function parseCsv(text: string, delimiter = ','): Record<string, string>[] {
  return parseCsvLignes(text, delimiter).map((r) => r.valeurs);
}

/**
 * The same, with the line of the file where each record starts (1 = the header's line), for error
 * messages: blank lines are skipped and a quoted field may span lines.
 */
export function parseCsvLignes(text: string, delimiter = ','): { ligne: number; valeurs: Record<string, string> }[] {
  const { entete, enregistrements } = parseCsvTableau(text, delimiter);
  if (!entete) return [];
  return enregistrements.map((r) => ({ ligne: r.ligne, valeurs: Object.fromEntries(entete.map((h, i) => [h, r.champs[i] ?? ''])) }));
}

/**
 * The header's cells and the records as arrays (columns kept by position, so that two columns with
 * the same header stay two columns); `ligne` counts from the header's line (1).
 */
export function parseCsvTableau(text: string, delimiter = ','): { entete: string[] | undefined; enregistrements: { ligne: number; champs: string[] }[] } {
  const records: { ligne: number; champs: string[] }[] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let ligne = 1;
  let debut = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') ligne++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      if (record.some((f) => f !== '')) records.push({ ligne: debut, champs: record });
      record = [];
      ligne++;
      debut = ligne;
    } else field += ch;
  }
  record.push(field);
  if (record.some((f) => f !== '')) records.push({ ligne: debut, champs: record });
  const [header, ...body] = records;
  if (!header) return { entete: undefined, enregistrements: [] };
  return { entete: header.champs.map((h) => h.replace(/^\uFEFF/, '')), enregistrements: body.map((r) => ({ ligne: r.ligne - header.ligne + 1, champs: r.champs })) };
}
