/**
 * Reading the files of every import: spreadsheets (xlsx through exceljs; csv in UTF-8 or
 * windows-1252, with or without BOM, separated by `;`, `,` or tab), JSON and GeoJSON. A file that
 * cannot be read at all throws `FichierIllisible` with a French message; row-level problems are the
 * importers' business.
 */
import ExcelJS from 'exceljs';
import { deneutraliser, parseCsvTableau } from '../csv.js';
import { FichierIllisible } from './erreur.js';

/** A sheet: its header row and its non-empty rows, numbered as in the file. */
export interface Feuille {
  /** The header's row number in the file (1-based). */
  ligneEntete: number;
  entetes: string[];
  /** Cells by position: text (CSV), or exceljs values (numbers, dates, text) for xlsx; empty → undefined. */
  lignes: { numero: number; cellules: unknown[] }[];
}

/** windows-1252's 0x80–0x9F (Node's TextDecoder reads that label as ISO-8859-1, where they are control characters). */
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** The text of a file: UTF-8 when it decodes as such (BOM removed), else windows-1252 (Excel's French CSV). */
export function decoderTexte(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    let out = '';
    for (const b of buffer) out += b >= 0x80 && b <= 0x9f ? CP1252[b - 0x80] : String.fromCharCode(b);
    return out;
  }
}

/** The separator of a CSV header line: the most frequent of `;`, tab and `,` outside quotes (`,` when none). */
export function detecterSeparateur(ligne: string): ';' | ',' | '\t' {
  const horsGuillemets = ligne.replace(/"[^"]*"/g, '');
  const compte = (c: string) => horsGuillemets.split(c).length - 1;
  const candidats = [';', '\t', ','] as const;
  let meilleur: ';' | ',' | '\t' = ',';
  let max = 0;
  for (const c of candidats) {
    if (compte(c) > max) {
      max = compte(c);
      meilleur = c;
    }
  }
  return meilleur;
}

/**
 * A cell's value: rich text, hyperlinks and formulas of exceljs flattened; empty → undefined. xlsx text
 * is taken as is (our xlsx exports write text cells, never neutralised); csv text is de-neutralised
 * by `lireCsv` first.
 */
export function texteCellule(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { richText?: { text: string }[]; text?: string; result?: unknown; hyperlink?: string };
    if (o.richText) return texteCellule(o.richText.map((r) => r.text).join(''));
    if (o.result !== undefined) return texteCellule(o.result);
    if (o.text !== undefined) return texteCellule(o.text);
    return undefined;
  }
  if (typeof v === 'string' && v.trim() === '') return undefined;
  return v;
}

export interface OptionsFeuille {
  /** Most rows accepted (a French error beyond). */
  maxLignes: number;
  /** Which row is the header (default: the first non-empty one); rows above it are ignored (a title line). */
  estEntete?: (cellules: string[]) => boolean;
  /** The message when no row is the header. */
  enteteIntrouvable?: string;
}

/** Most bytes an xlsx may hold once decompressed (a 50,000-row import is far below). */
export const MAX_XLSX_DECOMPRESSE = 64 * 1024 * 1024;
/** Longest line of a csv file (a spreadsheet cell holds at most 32,767 characters). */
export const MAX_LIGNE_CSV = 64 * 1024;
const mo = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;

/**
 * Refuses an xlsx whose parts, as its zip directory declares them, would decompress beyond
 * MAX_XLSX_DECOMPRESSE (a « zip bomb »: a small file that fills the memory once inflated), before
 * anything is inflated. Only the central directory is read.
 */
export function verifierArchive(buffer: Buffer): void {
  // End of central directory: 22 bytes plus a comment of at most 65,535.
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 65_535); i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FichierIllisible('Fichier illisible : ce n’est pas un classeur Excel (.xlsx) valide.');
  const entrees = buffer.readUInt16LE(eocd + 10);
  let p = buffer.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entrees; n++) {
    if (p + 46 > buffer.length || buffer.readUInt32LE(p) !== 0x02014b50) throw new FichierIllisible('Fichier illisible : ce n’est pas un classeur Excel (.xlsx) valide.');
    const taille = buffer.readUInt32LE(p + 24);
    // 0xFFFFFFFF: the real size is in a zip64 field, 4 GB or more.
    total += taille === 0xffffffff ? Number.MAX_SAFE_INTEGER : taille;
    if (total > MAX_XLSX_DECOMPRESSE) {
      throw new FichierIllisible(
        `Classeur refusé : une fois décompressé, il occuperait ${taille === 0xffffffff ? 'plus de 4 Go' : `au moins ${mo(total)}`} (au plus ${mo(MAX_XLSX_DECOMPRESSE)} par import). Enregistrez-le en CSV, ou découpez-le.`,
      );
    }
    p += 46 + buffer.readUInt16LE(p + 28) + buffer.readUInt16LE(p + 30) + buffer.readUInt16LE(p + 32);
  }
}

async function lireXlsx(buffer: Buffer, o: OptionsFeuille): Promise<Feuille> {
  verifierArchive(buffer);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new FichierIllisible('Fichier illisible : ce n’est pas un classeur Excel (.xlsx) valide.');
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw new FichierIllisible('Le classeur ne contient aucune ligne.');
  let ligneEntete = 0;
  let entetes: string[] = [];
  const lignes: Feuille['lignes'] = [];
  ws.eachRow({ includeEmpty: false }, (row, numero) => {
    const values = (row.values as unknown[]).slice(1).map(texteCellule);
    if (!ligneEntete) {
      const textes = values.map((v) => (v === undefined ? '' : String(v)));
      if (!o.estEntete || o.estEntete(textes)) {
        ligneEntete = numero;
        entetes = textes;
      }
    } else if (values.some((v) => v !== undefined)) lignes.push({ numero, cellules: values });
  });
  if (!ligneEntete) throw new FichierIllisible(o.enteteIntrouvable ?? 'Le classeur ne contient aucune ligne.');
  return { ligneEntete, entetes, lignes };
}

function lireCsv(buffer: Buffer, o: OptionsFeuille): Feuille {
  const texte = decoderTexte(buffer);
  const lignesTexte = texte.split(/\r?\n|\r/);
  const longue = lignesTexte.findIndex((l) => l.length > MAX_LIGNE_CSV);
  if (longue >= 0) {
    throw new FichierIllisible(`La ligne ${longue + 1} compte ${lignesTexte[longue]!.length.toLocaleString('fr-FR')} caractères ; au plus ${MAX_LIGNE_CSV.toLocaleString('fr-FR')} par ligne (fichier endommagé, ou pas un tableau CSV ?).`);
  }
  // The header is found on the file's own lines (a title line may come first), and gives the separator.
  let index = -1;
  for (const [i, l] of lignesTexte.entries()) {
    if (!l.trim()) continue;
    if (!o.estEntete || o.estEntete(l.split(detecterSeparateur(l)).map((c) => c.replace(/^"|"$/g, '')))) {
      index = i;
      break;
    }
  }
  if (index < 0) throw new FichierIllisible(o.enteteIntrouvable ?? 'Le fichier est vide.');
  const separateur = detecterSeparateur(lignesTexte[index]!);
  const { entete, enregistrements } = parseCsvTableau(lignesTexte.slice(index).join('\n'), separateur);
  return {
    ligneEntete: index + 1,
    entetes: (entete ?? []).map((h) => deneutraliser(h)),
    // The CSV writer's neutralising quote removed: export → edit → import gives the exported values.
    lignes: enregistrements.map((r) => ({ numero: index + r.ligne, cellules: r.champs.map((c) => texteCellule(deneutraliser(c))) })),
  };
}

/** Reads an xlsx (by its signature or name) or a csv sheet. */
export async function lireFeuille(buffer: Buffer, filename: string, o: OptionsFeuille): Promise<Feuille> {
  const isXlsx = buffer.subarray(0, 2).toString('latin1') === 'PK' || /\.xlsx$/i.test(filename);
  const f = isXlsx ? await lireXlsx(buffer, o) : lireCsv(buffer, o);
  if (f.lignes.length > o.maxLignes) throw new FichierIllisible(`Le fichier compte ${f.lignes.length} lignes ; au plus ${o.maxLignes} par import.`);
  return f;
}

/** Whether a file looks like JSON (by name, or its first character). */
export function estJson(buffer: Buffer, filename: string): boolean {
  const debut = buffer.subarray(0, 200).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return /\.(geo)?json$/i.test(filename) || debut.startsWith('{') || debut.startsWith('[');
}

/** Parses a JSON file (UTF-8, BOM allowed). */
export function lireJson(buffer: Buffer, nature = 'JSON'): unknown {
  try {
    return JSON.parse(decoderTexte(buffer));
  } catch (e) {
    throw new FichierIllisible(`Fichier ${nature} illisible : ${(e as Error).message}.`);
  }
}

/**
 * Positions in a GeoJSON geometry's coordinates, counting until `max` is passed. A MultiPolygon
 * nests four levels: deeper arrays are not positions (the geometry check refuses them).
 */
function compterSommets(c: unknown, max: number, profondeur = 0): number {
  if (!Array.isArray(c) || profondeur > 4) return 0;
  if (typeof c[0] === 'number') return 1;
  let n = 0;
  for (const x of c) {
    n += compterSommets(x, max - n, profondeur + 1);
    if (n > max) break;
  }
  return n;
}

/** Most positions in one GeoJSON entity, and in a whole file (land plots have hundreds). */
export const MAX_SOMMETS_ENTITE = 50_000;
export const MAX_SOMMETS_FICHIER = 500_000;

/** The features of a GeoJSON document (a FeatureCollection or one Feature), with its `crs` member. */
export function lireGeoJson(buffer: Buffer, maxEntites: number): { features: unknown[]; crs: unknown } {
  const doc = lireJson(buffer, 'GeoJSON') as { type?: string; features?: unknown[]; crs?: unknown } | null;
  const features = doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : undefined;
  if (!features) throw new FichierIllisible('Une FeatureCollection (ou une Feature) GeoJSON est attendue.');
  if (features.length > maxEntites) throw new FichierIllisible(`Le fichier compte ${features.length} entités ; au plus ${maxEntites} par import.`);
  // Refused before any geometry is checked: PostGIS would spend minutes on a million vertices.
  let total = 0;
  for (const [i, f] of features.entries()) {
    const n = compterSommets((f as { geometry?: { coordinates?: unknown } } | null)?.geometry?.coordinates, MAX_SOMMETS_ENTITE);
    if (n > MAX_SOMMETS_ENTITE) throw new FichierIllisible(`L’entité n° ${i + 1} compte plus de ${MAX_SOMMETS_ENTITE.toLocaleString('fr-FR')} sommets ; simplifiez sa géométrie.`);
    total += n;
    if (total > MAX_SOMMETS_FICHIER) throw new FichierIllisible(`Le fichier compte plus de ${MAX_SOMMETS_FICHIER.toLocaleString('fr-FR')} sommets ; simplifiez les géométries ou découpez le fichier.`);
  }
  return { features, crs: doc!.crs };
}
