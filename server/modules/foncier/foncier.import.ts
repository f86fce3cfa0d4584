/**
 * Import of gisements: GeoJSON (WGS84 or Lambert-93, from the `crs` member or the coordinates'
 * ranges, reprojected by PostGIS), csv with a WKT column or lon/lat (+ surface) columns, xlsx with the
 * same columns. Everything is checked first; one feature in error and nothing is written, with every
 * error listed (feature, property, reason). A dry run goes through the same path and rolls back.
 * Re-importing updates: the key is the `identifiant` property, else an equal geometry.
 */
import { sql, type SQL } from 'drizzle-orm';
import { geometrieSchema, gisementProprietesSchema, type GisementCreate } from '../../../shared/foncier/gisement.schema.js';
import { rows, type Db, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { HttpError } from '../../lib/errors.js';
import { lireFeuille } from '../operations/operations.import.js';
import { normaliser } from '../operations/operations.colonnes.js';
import { parseDate, parseNombre } from '../operations/valeurs.js';
import { analyser, carreAutour, detecterSrid, fromGeoJson, fromWkt, type Placement } from './geometrie.js';
import { createGisement, modifiable, updateGisement, type Ctx } from './foncier.service.js';
import { loadRow, type GisementRow } from './foncier.repository.js';

export interface ImportError {
  /** Index in `features` (GeoJSON, from 0) or line number (csv, xlsx). */
  feature: number;
  propriete: string;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportError[];
  dry_run: boolean;
}

interface Entree {
  feature: number;
  props: Record<string, unknown>;
  /** The geometry as SQL (with its SRID), or an error already found. */
  geometrie: SQL | ImportError;
}

const MAX_ENTREES = 50_000;
const LISTES = new Set(['outils', 'contraintes', 'references_cadastrales', 'organisations']);
const NOMBRES = new Set(['capacite_logements', 'capacite_lls', 'taux_sms', 'epf_prix']);
const DATES = new Set(['epf_date_acquisition', 'epf_date_revente_prevue']);
const ALIAS: Record<string, string> = { longitude: 'lon', lng: 'lon', latitude: 'lat', geometrie: 'wkt', geometry: 'wkt', geom: 'wkt', code_insee: 'commune', insee: 'commune', surface: 'surface_m2' };
const cle = (h: string) => {
  const k = normaliser(h).replace(/\s+/g, '_');
  return ALIAS[k] ?? k;
};

/** Typed values from text cells or JSON properties; errors reported per property. */
function typer(feature: number, raw: Record<string, unknown>, errors: ImportError[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k0, v] of Object.entries(raw)) {
    const k = cle(k0);
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    if (LISTES.has(k)) {
      out[k] = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.trim().toLowerCase() : x)) : String(v).split(/[;,|]/).map((x) => x.trim()).filter(Boolean).map((x) => (k === 'outils' || k === 'contraintes' ? x.toLowerCase() : x));
    } else if (NOMBRES.has(k) || k === 'lon' || k === 'lat' || k === 'surface_m2') {
      const n = parseNombre(v);
      if (n.ok) out[k] = n.value;
      else errors.push({ feature, propriete: k0, message: `${k0} : ${n.message} (« ${String(v)} »).` });
    } else if (DATES.has(k)) {
      const d = parseDate(v);
      if (d.ok) out[k] = d.value;
      else errors.push({ feature, propriete: k0, message: `${k0} : ${d.message} (« ${String(v)} »).` });
    } else if (k === 'statut' || k === 'usage_actuel' || k === 'proprietaire' || k === 'visibilite') {
      out[k] = normaliser(String(v)).replace(/\s+/g, '_');
    } else out[k] = typeof v === 'string' ? v.trim() : String(v);
  }
  return out;
}

function lireGeoJson(buffer: Buffer): Entree[] | ImportError {
  let doc: { type?: string; features?: unknown[]; crs?: unknown; geometry?: unknown; properties?: unknown };
  try {
    doc = JSON.parse(buffer.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    return { feature: -1, propriete: '', message: `Fichier GeoJSON illisible : ${(e as Error).message}.` };
  }
  const features = doc.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc.type === 'Feature' ? [doc] : undefined;
  if (!features) return { feature: -1, propriete: 'type', message: 'Une FeatureCollection (ou une Feature) GeoJSON est attendue.' };
  if (features.length > MAX_ENTREES) return { feature: -1, propriete: '', message: `Le fichier compte ${features.length} entités ; au plus ${MAX_ENTREES} par import.` };
  let premiere: number[] | undefined;
  for (const f of features) {
    let c: unknown = (f as { geometry?: { coordinates?: unknown } })?.geometry?.coordinates;
    while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
    if (Array.isArray(c) && typeof c[0] === 'number') {
      premiere = c as number[];
      break;
    }
  }
  const srid = detecterSrid(doc.crs, premiere);
  if (typeof srid !== 'number') return { feature: -1, propriete: 'crs', message: srid.erreur };
  return features.map((f, feature) => {
    const feat = f as { type?: string; geometry?: unknown; properties?: Record<string, unknown> | null };
    const g = geometrieSchema.safeParse(feat?.geometry);
    const geometrie: SQL | ImportError = g.success
      ? fromGeoJson(g.data, srid)
      : { feature, propriete: 'geometry', message: feat?.geometry ? `Géométrie : ${g.error.issues[0]?.message ?? 'invalide'}` : 'Entité sans géométrie.' };
    return { feature, props: feat?.properties ?? {}, geometrie };
  });
}

async function lireTableau(buffer: Buffer, filename: string): Promise<Entree[]> {
  const feuille = await lireFeuille(buffer, filename);
  const cles = feuille.entetes.map(cle);
  return feuille.lignes.map((l) => {
    const props: Record<string, unknown> = {};
    cles.forEach((k, i) => {
      if (k && l.cellules[i] !== undefined) props[k] = l.cellules[i];
    });
    let geometrie: SQL | ImportError;
    const wkt = props.wkt !== undefined ? String(props.wkt).trim() : undefined;
    if (wkt) {
      const m = wkt.match(/-?\d+(\.\d+)?\s+-?\d+(\.\d+)?/);
      const srid = detecterSrid(undefined, m ? m[0].split(/\s+/).map(Number) : undefined);
      geometrie = typeof srid === 'number' ? fromWkt(wkt.replace(/^SRID=\d+;/i, ''), srid) : { feature: l.numero, propriete: 'wkt', message: srid.erreur };
    } else if (props.lon !== undefined && props.lat !== undefined) {
      const lon = parseNombre(props.lon);
      const lat = parseNombre(props.lat);
      const surface = props.surface_m2 !== undefined ? parseNombre(props.surface_m2) : undefined;
      if (!lon.ok || !lat.ok) geometrie = { feature: l.numero, propriete: lon.ok ? 'lat' : 'lon', message: 'Coordonnées illisibles.' };
      else if (!surface?.ok || surface.value <= 0) geometrie = { feature: l.numero, propriete: 'surface_m2', message: 'Avec lon/lat, la surface (surface_m2, en m²) est requise pour tracer l’emprise approchée.' };
      else {
        const srid = detecterSrid(undefined, [lon.value, lat.value]);
        geometrie = typeof srid === 'number' ? carreAutour(lon.value, lat.value, surface.value, srid) : { feature: l.numero, propriete: 'lon', message: srid.erreur };
        props.source = [props.source, 'emprise approchée : carré de la surface indiquée autour du point'].filter(Boolean).join(' ; ');
      }
    } else geometrie = { feature: l.numero, propriete: 'wkt', message: 'Géométrie absente : colonne wkt (polygone) ou colonnes lon, lat et surface_m2.' };
    delete props.wkt;
    delete props.lon;
    delete props.lat;
    delete props.surface_m2;
    return { feature: l.numero, props, geometrie };
  });
}

class Rollback extends Error {}

export async function importGisements(db: Db, opts: Ctx & { buffer: Buffer; filename: string; dryRun: boolean }): Promise<ImportResult> {
  const fail = (errors: ImportError[]): ImportResult => ({ created: 0, updated: 0, errors: errors.sort((a, b) => a.feature - b.feature), dry_run: opts.dryRun });
  const head = opts.buffer.subarray(0, 200).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const isGeoJson = /\.(geo)?json$/i.test(opts.filename) || head.startsWith('{');
  let entrees: Entree[];
  if (isGeoJson) {
    const r = lireGeoJson(opts.buffer);
    if (!Array.isArray(r)) return fail([r]);
    entrees = r;
  } else {
    try {
      entrees = await lireTableau(opts.buffer, opts.filename);
    } catch (e) {
      if (e instanceof HttpError) return fail([{ feature: -1, propriete: '', message: e.message }]);
      throw e;
    }
  }
  if (entrees.length === 0) return fail([{ feature: -1, propriete: '', message: 'Aucune entité à importer.' }]);

  const errors: ImportError[] = [];
  const lues: { feature: number; input: GisementCreate; placement: Placement }[] = [];
  const identifiants = new Map<string, number>();
  for (const e of entrees) {
    const errs: ImportError[] = [];
    const props = typer(e.feature, e.props, errs);
    const parsed = gisementProprietesSchema.safeParse(props);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const propriete = String(issue.path[0] ?? '');
        errs.push({ feature: e.feature, propriete, message: `${propriete ? `${propriete} : ` : ''}${issue.message}${propriete && props[propriete] !== undefined ? ` (« ${String(props[propriete])} »)` : ''}` });
      }
    }
    let placement: Placement | undefined;
    if (!('feature' in e.geometrie)) {
      const a = await analyser(db, e.geometrie, opts.configured, parsed.success ? parsed.data.commune : undefined);
      if (a.ok) placement = a.placement;
      else errs.push({ feature: e.feature, propriete: 'geometry', message: a.message });
    } else errs.push(e.geometrie);
    if (placement && opts.principal && !modifiable(opts.principal, opts.configured, { departement: placement.departement, epci_siren: placement.epciSiren, commune_insee: placement.communeInsee })) {
      errs.push({ feature: e.feature, propriete: 'geometry', message: `Gisement situé sur la commune ${placement.communeInsee}, hors de votre territoire.` });
    }
    const id = parsed.success ? parsed.data.identifiant : undefined;
    if (id) {
      if (identifiants.has(id)) errs.push({ feature: e.feature, propriete: 'identifiant', message: `identifiant « ${id} » en double (déjà à l’entité ${identifiants.get(id)}).` });
      identifiants.set(id, e.feature);
    }
    errors.push(...errs);
    if (!errs.length && parsed.success && placement) lues.push({ feature: e.feature, input: { ...parsed.data, geometrie: { type: 'MultiPolygon', coordinates: [] } }, placement });
  }
  if (errors.length) return fail(errors);

  let created = 0;
  let updated = 0;
  try {
    await db.transaction(async (tx) => {
      for (const l of lues) {
        const before = await existant(tx, l.input.identifiant ?? undefined, l.placement);
        try {
          if (before) {
            if (opts.principal && !modifiable(opts.principal, opts.configured, before)) throw new HttpError(422, 'hors_perimetre', `identifiant « ${l.input.identifiant} » : déjà celui d’un gisement hors de votre territoire.`, { champ: 'identifiant' });
            const { geometrie: _g, ...rest } = l.input;
            await updateGisement(tx, { ...opts, transitionLibre: true }, before, { ...rest, identifiant: undefined }, l.placement);
            updated++;
          } else {
            await createGisement(tx, opts, l.input, l.placement);
            created++;
          }
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
          errors.push({ feature: l.feature, propriete: (e.details as { champ?: string } | undefined)?.champ ?? '', message: e.message });
        }
      }
      if (errors.length) throw new Rollback();
      await recordAudit(tx, opts.actor, { action: 'import', entityType: 'gisement_import', entityId: opts.filename.slice(0, 200), departement: opts.principal?.departement ?? opts.configured[0], after: { fichier: opts.filename, entites: lues.length, crees: created, mis_a_jour: updated } }, opts.requestId);
      if (opts.dryRun) throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  if (errors.length) return fail(errors);
  return { created, updated, errors: [], dry_run: opts.dryRun };
}

/**
 * Two outlines closer than this (in degrees, ~20 cm) are the same plot: an export rounded to
 * 6 decimals, or a Lambert-93 ↔ WGS84 round trip, re-imports as an update.
 */
const GEOMETRIE_IDENTIQUE_DEGRES = 2e-6;

/** The gisement a feature updates: same identifiant, else the same geometry (within ~20 cm). */
async function existant(db: Executor, identifiant: string | undefined, pl: Placement): Promise<GisementRow | undefined> {
  const r = identifiant
    ? await rows<{ id: string }>(db, sql`SELECT id FROM gisements WHERE identifiant = ${identifiant}`)
    : await rows<{ id: string }>(
        db,
        sql`WITH n AS (SELECT ST_GeomFromEWKB(decode(${pl.ewkb}, 'hex')) AS g)
            SELECT id FROM gisements, n
            WHERE gisements.geom && n.g AND ST_HausdorffDistance(gisements.geom, n.g) < ${GEOMETRIE_IDENTIQUE_DEGRES}::float8
            ORDER BY created_at LIMIT 1`,
      );
  return r[0] ? loadRow(db, r[0].id) : undefined;
}
