/**
 * The one error type of every import: where (row or feature), which column or field, which value,
 * and why, in French. Importers may add their published aliases (`feature`/`propriete` for the
 * gisements, `champ` for the aids) but every error carries these four fields.
 */
export interface ErreurImport {
  /**
   * Where: the row of the sheet as the spreadsheet numbers it (the header's row counts), the item's
   * number in a JSON list (from 1), the feature's number in a GeoJSON (from 1); 0 = the file itself.
   */
  ligne: number;
  /** The column's header as written in the file, or the field's path; '' when the whole row or file. */
  colonne: string;
  /** The value found ('' when none); JSON importers keep the JSON value. */
  valeur: unknown;
  /** Why, in French. */
  message: string;
}

/** Thrown by the readers when the file as a whole cannot be read; the runner lists it as the file's error. */
export class FichierIllisible extends Error {}

/** How a location is named in messages: « Ligne 5, colonne « X » » or « Aide n° 2, champ « slug » ». */
export interface Libelles {
  ligne: string;
  colonne: string;
  /** Values written as JSON (`"texte"`, `null`), for JSON files; else text between « ». */
  json?: boolean;
}

const LIBELLES: Libelles = { ligne: 'Ligne', colonne: 'colonne' };

/** One error as a French sentence. */
export function erreurTexte(e: ErreurImport, l: Libelles = LIBELLES): string {
  const message = e.message.replace(/\.$/, '');
  if (e.ligne === 0 && !e.colonne) return `${message}.`;
  const valeur = typeof e.valeur === 'string' && !l.json ? `« ${e.valeur} »` : JSON.stringify(e.valeur ?? null);
  const ou = [e.ligne > 0 ? `${l.ligne} ${e.ligne}` : '', e.colonne ? `${l.colonne} « ${e.colonne} »` : '', (e.valeur !== '' || l.json) && e.valeur !== undefined ? `valeur ${valeur}` : ''].filter(Boolean).join(', ');
  return `${ou.charAt(0).toUpperCase()}${ou.slice(1)} : ${message}.`;
}

/** Errors in the order of the file (stable for errors of one row). */
export const trierErreurs = <E extends ErreurImport>(erreurs: E[]): E[] => erreurs.map((e, i) => [e, i] as const).sort((a, b) => a[0].ligne - b[0].ligne || a[1] - b[1]).map(([e]) => e);
