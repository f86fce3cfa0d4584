/**
 * Real-looking land plots for the observatory's tests, generated from the real commune contours in the
 * test database: a square of `cote` metres at an offset from a point inside the commune, in WGS84 or
 * in Lambert-93 (EPSG:2154) coordinates.
 */
import { sql } from 'drizzle-orm';
import { rows } from '../server/db/client.js';
import type { TestContext } from './helpers.js';

export interface Carre {
  type: 'Polygon';
  coordinates: number[][][];
}

export async function carre(t: TestContext, commune: string, cote: number, dx = 0, dy = 0, srid: 4326 | 2154 = 4326): Promise<Carre> {
  const [r] = await rows<{ g: string }>(
    t.database.db,
    sql`WITH p AS (SELECT ST_Transform(ST_PointOnSurface(geom), 2154) AS pt FROM communes WHERE code_insee = ${commune}),
             s AS (SELECT ST_MakeEnvelope(ST_X(pt) + ${dx}::float8 - ${cote / 2}::float8, ST_Y(pt) + ${dy}::float8 - ${cote / 2}::float8,
                                          ST_X(pt) + ${dx}::float8 + ${cote / 2}::float8, ST_Y(pt) + ${dy}::float8 + ${cote / 2}::float8, 2154) AS g FROM p)
        SELECT CASE WHEN ${srid}::int = 2154 THEN ST_AsGeoJSON(g, 2) ELSE ST_AsGeoJSON(ST_Transform(g, 4326), 7) END AS g FROM s`,
  );
  if (!r) throw new Error(`commune ${commune} absente`);
  return JSON.parse(r.g) as Carre;
}

/** A "bow tie": a self-intersecting ring inside the commune. */
export async function noeudPapillon(t: TestContext, commune: string): Promise<Carre> {
  const c = await carre(t, commune, 100);
  const [a, b, cc, d] = c.coordinates[0]!;
  return { type: 'Polygon', coordinates: [[a!, cc!, b!, d!, a!]] };
}

/** A square in Paris: outside the Gard. */
export const carreParis: Carre = { type: 'Polygon', coordinates: [[[2.34, 48.85], [2.341, 48.85], [2.341, 48.851], [2.34, 48.851], [2.34, 48.85]]] };

export function wkt(c: Carre): string {
  return `POLYGON((${c.coordinates[0]!.map((p) => `${p[0]} ${p[1]}`).join(', ')}))`;
}

export function multipart(file: Buffer, filename: string) {
  const boundary = '----atelier' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
