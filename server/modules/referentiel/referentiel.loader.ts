/**
 * Loads a département's reference territory: communes (COG 2026, populations, SIREN, postal codes),
 * their EPCI à fiscalité propre, and contours when the repository ships them (data/territoires.json).
 * Idempotent: re-running updates in place.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { dataFolder } from '../../db/paths.js';
import { recordAudit } from '../../lib/audit.js';
import { parseCsv } from '../../lib/csv.js';
import type { Actor } from '../../lib/principal.js';

const require = createRequire(import.meta.url);

interface PkgCommune {
  code: string;
  nom: string;
  departement: string;
  type: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
}
interface PkgEpci {
  code: string;
  nom: string;
  type: string;
  populationMunicipale?: number;
  membres: { code: string }[];
}
interface PkgDepartement {
  code: string;
  nom: string;
  region: string;
}

interface CommuneRow {
  code_insee: string;
  nom: string;
  siren: string | null;
  population: number | null;
  codes_postaux: string[];
  epci_siren: string | null;
  geometry: unknown | null;
}
interface EpciRow {
  siren: string;
  nom: string;
  type: string;
  geometry: unknown | null;
}

interface Manifest {
  [code: string]: { communes_geojson?: string; epci_geojson?: string; epci_csv?: string } | string;
}

export class UnknownDepartementError extends Error {
  constructor(code: string) {
    super(`Département inconnu dans le code officiel géographique : « ${code} ».`);
  }
}

/** The attributes and contours to load for one département. */
export function readTerritoire(code: string): { departement: PkgDepartement; communes: CommuneRow[]; epci: EpciRow[]; contours: boolean } {
  const departements = require('@etalab/decoupage-administratif/data/departements.json') as PkgDepartement[];
  const departement = departements.find((d) => d.code === code);
  if (!departement) throw new UnknownDepartementError(code);

  const manifest = JSON.parse(readFileSync(join(dataFolder, 'territoires.json'), 'utf8')) as Manifest;
  const shipped = typeof manifest[code] === 'object' ? manifest[code] : undefined;

  if (shipped?.communes_geojson && shipped.epci_csv) {
    // Shipped files (data/SOURCES.md): attributes and contours of the communes, EPCI list.
    const fc = JSON.parse(readFileSync(join(dataFolder, shipped.communes_geojson), 'utf8')) as {
      features: { properties: Record<string, string | number>; geometry: unknown }[];
    };
    const communes: CommuneRow[] = fc.features.map((f) => ({
      code_insee: String(f.properties.code_insee),
      nom: String(f.properties.nom),
      siren: f.properties.siren_commune ? String(f.properties.siren_commune) : null,
      population: f.properties.population === undefined ? null : Number(f.properties.population),
      codes_postaux: String(f.properties.codes_postaux ?? '').split(/\s+/).filter(Boolean),
      epci_siren: f.properties.siren_epci ? String(f.properties.siren_epci) : null,
      geometry: f.geometry,
    }));
    const epciGeoms = new Map<string, unknown>();
    if (shipped.epci_geojson) {
      const efc = JSON.parse(readFileSync(join(dataFolder, shipped.epci_geojson), 'utf8')) as {
        features: { properties: Record<string, string>; geometry: unknown }[];
      };
      for (const f of efc.features) epciGeoms.set(String(f.properties.siren_epci), f.geometry);
    }
    const epci: EpciRow[] = parseCsv(readFileSync(join(dataFolder, shipped.epci_csv), 'utf8')).map((r) => ({
      siren: r.siren_epci!,
      nom: r.nom_epci!,
      type: r.type_epci!,
      geometry: epciGeoms.get(r.siren_epci!) ?? null,
    }));
    return { departement, communes, epci, contours: true };
  }

  // Any other département: codes, names and membership from the COG package, no contours.
  const allCommunes = require('@etalab/decoupage-administratif/data/communes.json') as PkgCommune[];
  const allEpci = require('@etalab/decoupage-administratif/data/epci.json') as PkgEpci[];
  const communesOfDep = allCommunes.filter((c) => c.departement === code && c.type === 'commune-actuelle');
  const codes = new Set(communesOfDep.map((c) => c.code));
  const epciOf = new Map<string, string>();
  const epci: EpciRow[] = [];
  for (const e of allEpci) {
    const members = e.membres.filter((m) => codes.has(m.code));
    if (members.length === 0) continue;
    for (const m of members) epciOf.set(m.code, e.code);
    epci.push({ siren: e.code, nom: e.nom, type: e.type, geometry: null });
  }
  const communes: CommuneRow[] = communesOfDep.map((c) => ({
    code_insee: c.code,
    nom: c.nom,
    siren: c.siren ?? null,
    population: c.population ?? null,
    codes_postaux: c.codesPostaux ?? [],
    epci_siren: epciOf.get(c.code) ?? null,
    geometry: null,
  }));
  return { departement, communes, epci, contours: false };
}

/** Loads (or refreshes) one département in a single transaction, with one audit entry. */
export async function loadDepartement(db: Db, code: string, actor: Actor) {
  const t = readTerritoire(code);
  const epciJson = JSON.stringify(t.epci);
  const communesJson = JSON.stringify(t.communes);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO departements (code, nom, region) VALUES (${t.departement.code}, ${t.departement.nom}, ${t.departement.region})
      ON CONFLICT (code) DO UPDATE SET nom = excluded.nom, region = excluded.region`);
    await tx.execute(sql`
      INSERT INTO epci (siren, nom, type, geom)
      SELECT e->>'siren', e->>'nom', e->>'type',
             CASE WHEN e->'geometry' = 'null'::jsonb THEN NULL
                  ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(e->>'geometry'), 4326)) END
      FROM jsonb_array_elements(${epciJson}::jsonb) AS e
      ON CONFLICT (siren) DO UPDATE SET nom = excluded.nom, type = excluded.type,
        geom = COALESCE(excluded.geom, epci.geom)`);
    await tx.execute(sql`
      INSERT INTO communes (code_insee, nom, departement, epci_siren, siren, population, codes_postaux, geom)
      SELECT c->>'code_insee', c->>'nom', ${t.departement.code}, c->>'epci_siren', c->>'siren',
             (c->>'population')::int,
             ARRAY(SELECT jsonb_array_elements_text(c->'codes_postaux')),
             CASE WHEN c->'geometry' = 'null'::jsonb THEN NULL
                  ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(c->>'geometry'), 4326)) END
      FROM jsonb_array_elements(${communesJson}::jsonb) AS c
      ON CONFLICT (code_insee) DO UPDATE SET nom = excluded.nom, departement = excluded.departement,
        epci_siren = excluded.epci_siren, siren = excluded.siren, population = excluded.population,
        codes_postaux = excluded.codes_postaux, geom = COALESCE(excluded.geom, communes.geom)`);
    await recordAudit(tx, actor, {
      action: 'chargement_referentiel',
      entityType: 'departement',
      entityId: t.departement.code,
      departement: t.departement.code,
      after: { communes: t.communes.length, epci: t.epci.length, contours: t.contours },
    });
  });
  return { departement: t.departement.code, nom: t.departement.nom, communes: t.communes.length, epci: t.epci.length, contours: t.contours };
}

/** Loads the configured départements that are not in the database yet (first start). */
export async function ensureDepartements(db: Db, codes: string[], actor: Actor) {
  const loaded = [];
  for (const code of codes) {
    const r = (await db.execute(sql`SELECT count(*)::int AS n FROM communes WHERE departement = ${code}`)) as unknown as {
      rows: { n: number }[];
    };
    if ((r.rows[0]?.n ?? 0) === 0) loaded.push(await loadDepartement(db, code, actor));
  }
  return loaded;
}
