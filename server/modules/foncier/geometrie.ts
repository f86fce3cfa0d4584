/**
 * Geometry checks and placement of a gisement, done by PostGIS: parse (GeoJSON or WKT, WGS84 or
 * Lambert-93), reproject to WGS84, validity (ST_IsValid, self-intersection), inside the served
 * départements, commune derived from the largest overlap. Runs outside write transactions: a
 * PostGIS parse error must not abort one.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';

/** The projections accepted on input. */
export const SRID_WGS84 = 4326;
export const SRID_LAMBERT93 = 2154;

export interface Placement {
  /** Hex EWKB of the MultiPolygon in WGS84, to insert with ST_GeomFromEWKB. */
  ewkb: string;
  surfaceM2: number;
  communeInsee: string;
  epciSiren: string | null;
  departement: string;
}

export type Analyse = { ok: true; placement: Placement } | { ok: false; message: string };

/** Turns PostGIS's validity reason into a French message. */
export function raisonInvalide(reason: string): string {
  const at = reason.match(/\[([-\d.eE]+) ([-\d.eE]+)\]/);
  const where = at ? ` (près du point ${Number(at[1]).toFixed(6)} ${Number(at[2]).toFixed(6)})` : '';
  if (/self-intersection/i.test(reason)) return `Polygone auto-intersecté : ses côtés se croisent${where}.`;
  if (/too few points/i.test(reason)) return `Polygone dégénéré : trop peu de points distincts${where}.`;
  if (/hole lies outside shell/i.test(reason)) return `Un trou du polygone est en dehors de son contour${where}.`;
  if (/nested/i.test(reason)) return `Polygones imbriqués${where}.`;
  if (/ring/i.test(reason) && /closed/i.test(reason)) return 'Anneau non fermé : le dernier point doit répéter le premier.';
  return `Géométrie invalide (${reason}).`;
}

/**
 * Analyses one geometry given as SQL producing a geometry with its SRID (see `fromGeoJson`, `fromWkt`).
 * `commune`, when given, must be touched by the geometry and is then kept.
 */
export async function analyser(db: Executor, source: SQL, configured: string[], commune?: string): Promise<Analyse> {
  let r: { valid: boolean; reason: string; type: string; ewkb: string | null; surface: number | null; empty: boolean }[];
  try {
    r = await rows(
      db,
      sql`WITH s AS (SELECT ST_Transform(${source}, 4326) AS g)
          SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, GeometryType(g) AS type, ST_IsEmpty(g) AS empty,
                 CASE WHEN ST_IsValid(g) THEN encode(ST_AsEWKB(ST_Multi(g)), 'hex') END AS ewkb,
                 CASE WHEN ST_IsValid(g) THEN ST_Area(g::geography) END AS surface
          FROM s`,
    );
  } catch (e) {
    return { ok: false, message: `Géométrie illisible : ${(e as Error).message.replace(/^.*?:\s*/, '')}.` };
  }
  const a = r[0]!;
  if (!['POLYGON', 'MULTIPOLYGON'].includes(a.type)) return { ok: false, message: `Géométrie de type ${a.type} : un polygone ou un multipolygone est attendu.` };
  if (a.empty) return { ok: false, message: 'Géométrie vide.' };
  if (!a.valid) return { ok: false, message: raisonInvalide(a.reason) };
  if (!(Number(a.surface) > 0)) return { ok: false, message: 'Polygone de surface nulle.' };
  const geom = sql`ST_GeomFromEWKB(decode(${a.ewkb}, 'hex'))`;
  // Share of the geometry covered by each served commune (planar ratios are fine for a share).
  const parts = await rows<{ code_insee: string; epci_siren: string | null; departement: string; part: number }>(
    db,
    sql`WITH g AS (SELECT ${geom} AS g)
        SELECT c.code_insee, c.epci_siren, c.departement, (ST_Area(ST_Intersection(c.geom, g.g)) / NULLIF(ST_Area(g.g), 0))::float8 AS part
        FROM communes c, g WHERE c.departement = ANY(${textArray(configured)}) AND ST_Intersects(c.geom, g.g)
        ORDER BY part DESC, c.code_insee`,
  );
  const inside = parts.reduce((s, p) => s + Number(p.part), 0);
  if (parts.length === 0 || inside < 1e-9) return { ok: false, message: 'La géométrie est en dehors du département : aucune commune servie ne la contient (vérifiez la projection, WGS84 ou Lambert-93).' };
  if (inside < 0.99) return { ok: false, message: `La géométrie sort du département : ${Math.round((1 - inside) * 100)} % de sa surface est hors des communes servies.` };
  let chosen = parts[0]!;
  if (commune) {
    const c = parts.find((p) => p.code_insee === commune);
    if (!c) return { ok: false, message: `Commune ${commune} : la géométrie ne touche pas cette commune (communes touchées : ${parts.map((p) => p.code_insee).join(', ')}).` };
    chosen = c;
  }
  return { ok: true, placement: { ewkb: a.ewkb!, surfaceM2: Number(a.surface), communeInsee: chosen.code_insee, epciSiren: chosen.epci_siren, departement: chosen.departement } };
}

export const fromGeoJson = (geometry: unknown, srid: number): SQL => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), ${srid}::int)`;
export const fromWkt = (wkt: string, srid: number): SQL => sql`ST_GeomFromText(${wkt}, ${srid}::int)`;
/** A square of the given area centred on a WGS84 point (a located plot whose outline is unknown). */
export const carreAutour = (lon: number, lat: number, surfaceM2: number, srid: number): SQL =>
  sql`ST_Transform(ST_Expand(ST_Transform(ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), ${srid}::int), 2154), sqrt(${surfaceM2}::float8) / 2), 4326)`;

/**
 * Which projection coordinates are in: the GeoJSON `crs` member when present, else their ranges
 * (Lambert-93 eastings/northings are hundreds of thousands of metres; degrees are small).
 */
export function detecterSrid(crs: unknown, premiere: number[] | undefined): number | { erreur: string } {
  const name = (crs as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  if (typeof name === 'string') {
    if (/(EPSG:?:?|crs:EPSG::?)2154$/i.test(name) || /2154$/.test(name)) return SRID_LAMBERT93;
    if (/(EPSG:?:?)4326$/i.test(name) || /CRS84$/i.test(name)) return SRID_WGS84;
    return { erreur: `Projection « ${name} » non prise en charge : WGS84 (EPSG:4326) ou Lambert-93 (EPSG:2154) attendus.` };
  }
  if (!premiere || premiere.length < 2) return SRID_WGS84;
  const [x, y] = premiere as [number, number];
  if (Math.abs(x) <= 180 && Math.abs(y) <= 90) return SRID_WGS84;
  if (x > 0 && x < 1_300_000 && y > 6_000_000 && y < 7_200_000) return SRID_LAMBERT93;
  return { erreur: `Coordonnées (${x}, ${y}) ni en degrés WGS84 ni en Lambert-93 : précisez la projection (membre « crs »).` };
}
