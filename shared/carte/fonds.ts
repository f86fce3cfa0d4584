/**
 * Basemaps of the land map (issue 12): raster tile sources the user switches between, and overlays
 * drawn on top of them. The default is the IGN Géoplateforme (open, no key since 2024): Plan IGN,
 * the orthophotos and the cadastral parcels (Parcellaire Express), in WMTS on the Web Mercator
 * matrix set `PM`. An operator replaces or removes them with MAP_FONDS / MAP_TILES_URL (server
 * config); the Content Security Policy lists exactly the hosts of the configured sources.
 */
import { z } from 'zod';

export interface FondCarte {
  /** Stable identifier (the map's source and layer are `fond-<id>`). */
  id: string;
  /** What the user picks (French). */
  libelle: string;
  /** Tile URL templates with {z}, {x}, {y}. */
  tiles: string[];
  tileSize: number;
  maxzoom: number;
  /** Attribution shown on the map (the licence asks for it). */
  attribution: string;
  /** An overlay (drawn over any basemap, e.g. the cadastral parcels) rather than a basemap. */
  superposable: boolean;
}

const GEOPLATEFORME = 'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}';
const IGN = '© IGN – Géoplateforme';

/** The IGN Géoplateforme layers (identifiers of its WMTS capabilities). */
export const FONDS_IGN: FondCarte[] = [
  { id: 'plan-ign', libelle: 'Plan IGN', tiles: [`${GEOPLATEFORME}&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png`], tileSize: 256, maxzoom: 18, attribution: IGN, superposable: false },
  { id: 'photographies', libelle: 'Photographies aériennes', tiles: [`${GEOPLATEFORME}&LAYER=ORTHOIMAGERY.ORTHOPHOTOS&STYLE=normal&FORMAT=image/jpeg`], tileSize: 256, maxzoom: 19, attribution: IGN, superposable: false },
  { id: 'cadastre', libelle: 'Parcelles cadastrales', tiles: [`${GEOPLATEFORME}&LAYER=CADASTRALPARCELS.PARCELLAIRE_EXPRESS&STYLE=PCI%20vecteur&FORMAT=image/png`], tileSize: 256, maxzoom: 19, attribution: `${IGN} (Parcellaire Express)`, superposable: true },
];

/** Origins (scheme + host + port) the configured sources fetch from: what the CSP must allow. */
export function originesDesFonds(fonds: FondCarte[]): string[] {
  const out = new Set<string>();
  for (const f of fonds) for (const t of f.tiles) out.add(new URL(t.replace(/[{}]/g, '')).origin);
  return [...out];
}

export const fondCarteSchema = z.object({
  id: z.string(),
  libelle: z.string(),
  tiles: z.array(z.string()),
  tileSize: z.number().int(),
  maxzoom: z.number().int(),
  attribution: z.string(),
  superposable: z.boolean(),
});

/** GET /api/v1/carte/fonds: the sources configured on this platform (none: the map shows contours only). */
export const fondsCarteSchema = z.object({ fonds: z.array(fondCarteSchema) });
export type FondsCarte = z.infer<typeof fondsCarteSchema>;
