/**
 * The shape of a field dictionary (`shared/<module>/champs.ts`): each field of an entity described
 * once — its French label, help text and unit for the forms and sheets, and, when it is a column of
 * a spreadsheet, its published header and the other headers an import recognises. The UI, the
 * import templates and column matching, and the exports all read the same entry, so a label or a
 * header is never written twice.
 */
export interface ColonneTableur {
  /** The column's header in templates and exports. Published: users' files depend on it. */
  entete: string;
  /** Other headers an import recognises (compared without case, accents or punctuation). */
  alias?: readonly string[];
  /** Help for the template's help sheet, when it differs from the field's `aide`. */
  aide?: string;
}

export interface Champ {
  /** The label of the field in forms, sheets and messages. */
  libelle: string;
  /** What to write: shown under the form field and in the import template's help. */
  aide?: string;
  /** Unit of a number (`€`, `m²`, `%`, `logements`), shown after the label. */
  unite?: string;
  /** Its column in spreadsheets (import template, exports). */
  colonne?: ColonneTableur;
}

/** "Prix de revient (€)": the label with its unit, for a form field. */
export function libelleAvecUnite(c: Champ): string {
  return c.unite ? `${c.libelle} (${c.unite})` : c.libelle;
}
