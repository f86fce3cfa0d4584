/**
 * Exports of a filtered list of operations, in the import template's columns (so that an export
 * can be edited and re-imported) plus read-only context columns; headers from the field dictionary
 * (shared/operations/champs.ts) through operations.colonnes.ts. The csv goes through the one CSV
 * writer (text cells neutralised against formula injection); in the xlsx, text stays a string cell
 * (exceljs writes a formula only when given `{ formula }`), so a name like `=HYPERLINK(…)` is shown,
 * never evaluated.
 */
import ExcelJS from 'exceljs';
import type { Executor } from '../../db/client.js';
import { CSV_CONTENT_TYPE, ecrireCsv } from '../../lib/csv.js';
import type { Principal } from '../../lib/principal.js';
import { COLONNES, COLONNES_CONTEXTE } from './operations.colonnes.js';
import type { OperationFilters, OperationDto } from './operations.repository.js';
import { allOperations } from './operations.service.js';

function valeurs(o: OperationDto, format: 'xlsx' | 'csv'): unknown[] {
  const date = (iso: string | null) => {
    if (!iso) return null;
    if (format === 'xlsx') return new Date(`${iso}T00:00:00Z`);
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  };
  const byKey: Record<string, unknown> = {
    numero_siap: o.numero_siap,
    nom: o.nom,
    commune: o.commune.code_insee,
    bailleur: o.bailleur.siren ?? o.bailleur.nom,
    type: o.type_libelle,
    adresse: o.adresse,
    longitude: o.localisation?.lon ?? null,
    latitude: o.localisation?.lat ?? null,
    ...o.logements,
    annee_programmation: o.annee_programmation,
    etape: o.etape_libelle,
    motif_abandon: o.motif_abandon,
    cout_total: o.cout_total,
  };
  const row = COLONNES.map((c) => (c.type === 'date' ? date((o as unknown as Record<string, string | null>)[c.cle] ?? null) : (byKey[c.cle] ?? null)));
  return [...row, o.epci?.nom ?? null, o.en_difficulte ? 'oui' : 'non', o.blocages.map((b) => b.type_libelle).join(' ; '), o.id];
}

export async function exportOperations(db: Executor, p: Principal, configured: string[], f: OperationFilters, format: 'xlsx' | 'csv') {
  const list = await allOperations(db, p, configured, f);
  const header = [...COLONNES.map((c) => c.entete), ...COLONNES_CONTEXTE];
  if (format === 'csv') {
    return { body: ecrireCsv([header, ...list.map((o) => valeurs(o, 'csv'))]), contentType: CSV_CONTENT_TYPE };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Atelier';
  const ws = wb.addWorksheet('Opérations');
  ws.addRow(header).font = { bold: true };
  for (const o of list) ws.addRow(valeurs(o, 'xlsx'));
  COLONNES.forEach((c, i) => {
    if (c.type === 'date') ws.getColumn(i + 1).numFmt = 'dd/mm/yyyy';
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return { body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
}
