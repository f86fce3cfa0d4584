/**
 * The observatory per commune or EPCI: number of gisements, area, potential dwellings and social
 * dwellings, by status and by planning tool; and the roadmap's end-of-PLH indicator: dwellings
 * delivered on identified land against the potential. Exports in xlsx, csv and GeoJSON.
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { OUTILS, STATUTS } from '../../../shared/foncier/referentiel.js';
import { can } from '../../../shared/roles.js';
import { rows, type Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import { gisementPolicy } from './gisements.policy.js';

export type Niveau = 'epci' | 'commune';

interface Agregat {
  nb_gisements: number;
  surface_m2: number;
  capacite_logements: number;
  capacite_lls: number;
}

export interface LigneSynthese extends Agregat {
  code: string;
  nom: string;
  par_statut: Record<string, Agregat>;
  par_outil: Record<string, Agregat>;
  /** PLH indicator: dwellings delivered on identified land (gisements « livré ») vs potential (all but « abandonné »). */
  plh: { logements_livres: number; potentiel_logements: number; taux: number | null };
}

const vide = (): Agregat => ({ nb_gisements: 0, surface_m2: 0, capacite_logements: 0, capacite_lls: 0 });
const ajouter = (a: Agregat, r: { n: number; s: number; cl: number; lls: number }) => {
  a.nb_gisements += Number(r.n);
  a.surface_m2 += Number(r.s);
  a.capacite_logements += Number(r.cl);
  a.capacite_lls += Number(r.lls);
};

/**
 * Sums per territory, status and set of tools. Read from the running totals (gisements_agregats)
 * except for landlords, whose scope depends on each gisement's links (then from gisements).
 */
export async function synthese(db: Executor, p: Principal | undefined, configured: string[], niveau: Niveau) {
  const key = niveau === 'epci' ? sql`NULLIF(g.epci_siren, '')` : sql`g.commune_insee`;
  const scope = gisementPolicy.where('read', p, configured);
  const parLien = p?.role === 'bailleur' && can(p.role, 'foncier:read');
  const source = parLien
    ? sql`(SELECT commune_insee, epci_siren, departement, statut, outils, visibilite, organisations, 1 AS nb, surface_m2,
                  COALESCE(capacite_logements, 0) AS capacite_logements, COALESCE(capacite_lls, 0) AS capacite_lls FROM gisements)`
    : sql`gisements_agregats`;
  const groupes = await rows<{ code: string | null; statut: string; outils: string[]; n: number; s: number; cl: number; lls: number }>(
    db,
    sql`SELECT ${key} AS code, g.statut, g.outils, sum(g.nb)::int AS n, COALESCE(sum(g.surface_m2), 0)::float8 AS s,
               COALESCE(sum(g.capacite_logements), 0)::int AS cl, COALESCE(sum(g.capacite_lls), 0)::int AS lls
        FROM ${source} g WHERE ${scope} AND g.nb > 0 GROUP BY 1, 2, 3`,
  );
  // Delivered gisements linked to a delivered operation count the operation's dwellings, not the estimate.
  const corrections = await rows<{ code: string | null; delta: number }>(
    db,
    sql`SELECT ${niveau === 'epci' ? sql`g.epci_siren` : sql`g.commune_insee`} AS code,
               sum(o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs - COALESCE(g.capacite_logements, 0))::int AS delta
        FROM gisements g JOIN operations o ON o.id = g.operation_id AND o.etape = 'livree'
        WHERE g.operation_id IS NOT NULL AND g.statut = 'livre' AND ${scope} GROUP BY 1`,
  );
  const noms = new Map(
    (niveau === 'epci'
      ? await rows<{ code: string; nom: string }>(db, sql`SELECT siren AS code, nom FROM epci`)
      : await rows<{ code: string; nom: string }>(db, sql`SELECT code_insee AS code, nom FROM communes`)
    ).map((r) => [r.code, r.nom]),
  );
  const lignes = new Map<string, LigneSynthese>();
  const ligne = (code: string | null) => {
    const c = code ?? '';
    let l = lignes.get(c);
    if (!l) {
      l = { code: c, nom: code ? (noms.get(code) ?? code) : 'Sans EPCI', ...vide(), par_statut: {}, par_outil: {}, plh: { logements_livres: 0, potentiel_logements: 0, taux: null } };
      lignes.set(c, l);
    }
    return l;
  };
  for (const r of groupes) {
    const l = ligne(r.code);
    ajouter(l, r);
    ajouter((l.par_statut[r.statut] ??= vide()), r);
    for (const o of new Set(r.outils)) ajouter((l.par_outil[o] ??= vide()), r);
    if (r.statut === 'livre') l.plh.logements_livres += Number(r.cl);
    if (r.statut !== 'abandonne') l.plh.potentiel_logements += Number(r.cl);
  }
  for (const c of corrections) ligne(c.code).plh.logements_livres += Number(c.delta);
  const total: LigneSynthese = { code: '', nom: 'Total', ...vide(), par_statut: {}, par_outil: {}, plh: { logements_livres: 0, potentiel_logements: 0, taux: null } };
  for (const l of lignes.values()) {
    l.surface_m2 = Math.round(l.surface_m2);
    for (const a of [...Object.values(l.par_statut), ...Object.values(l.par_outil)]) a.surface_m2 = Math.round(a.surface_m2);
    l.plh.taux = l.plh.potentiel_logements > 0 ? Math.round((l.plh.logements_livres / l.plh.potentiel_logements) * 1000) / 10 : null;
    ajouter(total, { n: l.nb_gisements, s: l.surface_m2, cl: l.capacite_logements, lls: l.capacite_lls });
    for (const [k, a] of Object.entries(l.par_statut)) ajouter((total.par_statut[k] ??= vide()), { n: a.nb_gisements, s: a.surface_m2, cl: a.capacite_logements, lls: a.capacite_lls });
    for (const [k, a] of Object.entries(l.par_outil)) ajouter((total.par_outil[k] ??= vide()), { n: a.nb_gisements, s: a.surface_m2, cl: a.capacite_logements, lls: a.capacite_lls });
    total.plh.logements_livres += l.plh.logements_livres;
    total.plh.potentiel_logements += l.plh.potentiel_logements;
  }
  total.plh.taux = total.plh.potentiel_logements > 0 ? Math.round((total.plh.logements_livres / total.plh.potentiel_logements) * 1000) / 10 : null;
  return { niveau, rows: [...lignes.values()].sort((a, b) => a.nom.localeCompare(b.nom, 'fr')), total };
}

type Synthese = Awaited<ReturnType<typeof synthese>>;

/** Flat columns of a synthesis row, for csv and xlsx. */
function colonnes(): { entete: string; valeur: (l: LigneSynthese) => string | number | null }[] {
  return [
    { entete: 'Code', valeur: (l) => l.code },
    { entete: 'Nom', valeur: (l) => l.nom },
    { entete: 'Gisements', valeur: (l) => l.nb_gisements },
    { entete: 'Surface (m²)', valeur: (l) => l.surface_m2 },
    { entete: 'Capacité (logements)', valeur: (l) => l.capacite_logements },
    { entete: 'Capacité (logements sociaux)', valeur: (l) => l.capacite_lls },
    ...STATUTS.map((s) => ({ entete: `Logements potentiels — ${s.libelle}`, valeur: (l: LigneSynthese) => l.par_statut[s.code]?.capacite_logements ?? 0 })),
    ...Object.entries(OUTILS).map(([code]) => ({ entete: `Logements potentiels — ${code.toUpperCase()}`, valeur: (l: LigneSynthese) => l.par_outil[code]?.capacite_logements ?? 0 })),
    { entete: 'PLH : logements livrés sur foncier identifié', valeur: (l) => l.plh.logements_livres },
    { entete: 'PLH : potentiel (hors abandonnés)', valeur: (l) => l.plh.potentiel_logements },
    { entete: 'PLH : taux (%)', valeur: (l) => l.plh.taux },
  ];
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v).replace('.', ',') : String(v);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function exportSynthese(s: Synthese, format: 'csv' | 'xlsx') {
  const cols = colonnes();
  const lignes = [...s.rows, s.total];
  if (format === 'csv') {
    const text = [cols.map((c) => c.entete), ...lignes.map((l) => cols.map((c) => c.valeur(l)))].map((r) => r.map(csvCell).join(';')).join('\r\n');
    return { body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8' };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Atelier';
  const ws = wb.addWorksheet(s.niveau === 'epci' ? 'Par EPCI' : 'Par commune');
  ws.addRow(cols.map((c) => c.entete)).font = { bold: true };
  for (const l of lignes) ws.addRow(cols.map((c) => c.valeur(l)));
  ws.lastRow!.font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return { body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
}
