import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Executor } from '../../db/client.js';

/** The served départements, by code. */
export async function listDepartements(db: Executor, codes: string[]) {
  return rows<{ code: string; nom: string; region: string }>(db, sql`SELECT code, nom, region FROM departements WHERE code = ANY(${textArray(codes)}) ORDER BY code`);
}

export interface CommuneFilters {
  departements: string[];
  epci?: string;
  q?: string;
}

export interface CommuneDto {
  code_insee: string;
  nom: string;
  population: number | null;
  departement: string;
  codes_postaux: string[];
  epci: { siren: string; nom: string; type: string } | null;
}

interface CommuneRow {
  code_insee: string;
  nom: string;
  population: number | null;
  departement: string;
  codes_postaux: string[];
  epci_siren: string | null;
  epci_nom: string | null;
  epci_type: string | null;
}

const toDto = (r: CommuneRow): CommuneDto => ({
  code_insee: r.code_insee,
  nom: r.nom,
  population: r.population,
  departement: r.departement,
  codes_postaux: r.codes_postaux,
  epci: r.epci_siren ? { siren: r.epci_siren, nom: r.epci_nom!, type: r.epci_type! } : null,
});

const communeSelect = sql`
  SELECT c.code_insee, c.nom, c.population, c.departement, c.codes_postaux,
         e.siren AS epci_siren, e.nom AS epci_nom, e.type AS epci_type
  FROM communes c LEFT JOIN epci e ON e.siren = c.epci_siren`;

export async function listCommunes(db: Executor, f: CommuneFilters): Promise<CommuneDto[]> {
  const where: SQL[] = [sql`c.departement = ANY(${textArray(f.departements)})`];
  if (f.epci) where.push(sql`c.epci_siren = ${f.epci}`);
  if (f.q) {
    // Accent- and case-insensitive match on the name, or a code prefix.
    where.push(sql`(unaccent(lower(c.nom)) LIKE '%' || unaccent(lower(${f.q})) || '%' OR c.code_insee LIKE ${f.q} || '%')`);
  }
  const r = await rows<CommuneRow>(db, sql`${communeSelect} WHERE ${sql.join(where, sql` AND `)} ORDER BY c.code_insee`);
  return r.map(toDto);
}

export async function getCommune(db: Executor, code: string, departements: string[]): Promise<CommuneDto | undefined> {
  const r = await rows<CommuneRow>(db, sql`${communeSelect} WHERE c.code_insee = ${code} AND c.departement = ANY(${textArray(departements)})`);
  return r[0] && toDto(r[0]);
}

export interface EpciDto {
  siren: string;
  nom: string;
  type: string;
  /** Population of its communes in the requested départements. */
  population: number;
  communes: string[];
}

export async function listEpci(db: Executor, departements: string[], siren?: string): Promise<EpciDto[]> {
  return rows<EpciDto>(
    db,
    sql`SELECT e.siren, e.nom, e.type, COALESCE(sum(c.population), 0)::int AS population,
               array_agg(c.code_insee ORDER BY c.code_insee) AS communes
        FROM epci e JOIN communes c ON c.epci_siren = e.siren
        WHERE c.departement = ANY(${textArray(departements)}) ${siren ? sql`AND e.siren = ${siren}` : sql``}
        GROUP BY e.siren, e.nom, e.type
        ORDER BY e.nom`,
  );
}

/** A qualitative palette for EPCI, distinguishable side by side (from DSFR illustrative colours). */
export const EPCI_PALETTE = [
  '#6a6af4', '#c3992a', '#18753c', '#ce614a', '#009099', '#a558a0', '#fc5d00', '#417dc4', '#8585f6',
  '#716043', '#ea9c90', '#00a95f', '#e1000f', '#7d4e5b', '#958b62', '#34bab5', '#ffca00', '#b7a73f',
  '#465f9d', '#cd6ee1',
];

/** Communes as a GeoJSON FeatureCollection (5-decimal coordinates), each coloured by its EPCI. */
export async function communesGeoJson(db: Executor, departements: string[]): Promise<string> {
  const r = await rows<{ fc: string }>(
    db,
    sql`WITH pal AS (
          SELECT siren, (row_number() OVER (ORDER BY siren) - 1)::int AS idx
          FROM (SELECT DISTINCT epci_siren AS siren FROM communes WHERE departement = ANY(${textArray(departements)}) AND epci_siren IS NOT NULL) s
        )
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
          'type', 'Feature',
          'id', c.code_insee,
          'geometry', ST_AsGeoJSON(c.geom, 5)::json,
          'properties', json_build_object('code_insee', c.code_insee, 'nom', c.nom, 'population', c.population,
                                          'epci_siren', e.siren, 'epci_nom', e.nom, 'couleur_index', pal.idx)
        ) ORDER BY c.code_insee), '[]'::json))::text AS fc
        FROM communes c LEFT JOIN epci e ON e.siren = c.epci_siren LEFT JOIN pal ON pal.siren = c.epci_siren
        WHERE c.departement = ANY(${textArray(departements)}) AND c.geom IS NOT NULL`,
  );
  return colour(r[0]?.fc ?? '{"type":"FeatureCollection","features":[]}');
}

export async function epciGeoJson(db: Executor, departements: string[]): Promise<string> {
  const r = await rows<{ fc: string }>(
    db,
    sql`WITH pal AS (
          SELECT siren, (row_number() OVER (ORDER BY siren) - 1)::int AS idx
          FROM (SELECT DISTINCT epci_siren AS siren FROM communes WHERE departement = ANY(${textArray(departements)}) AND epci_siren IS NOT NULL) s
        )
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
          'type', 'Feature',
          'id', e.siren,
          'geometry', ST_AsGeoJSON(e.geom, 5)::json,
          'properties', json_build_object('siren', e.siren, 'nom', e.nom, 'type', e.type, 'couleur_index', pal.idx)
        ) ORDER BY e.siren), '[]'::json))::text AS fc
        FROM epci e JOIN pal ON pal.siren = e.siren
        WHERE e.geom IS NOT NULL`,
  );
  return colour(r[0]?.fc ?? '{"type":"FeatureCollection","features":[]}');
}

/** Replaces each feature's palette index by its colour. */
function colour(featureCollection: string): string {
  const fc = JSON.parse(featureCollection) as { features: { properties: Record<string, unknown> }[] };
  for (const f of fc.features) {
    const idx = f.properties.couleur_index as number | null;
    delete f.properties.couleur_index;
    f.properties.couleur = idx === null ? '#929292' : EPCI_PALETTE[idx % EPCI_PALETTE.length];
  }
  return JSON.stringify(fc);
}
