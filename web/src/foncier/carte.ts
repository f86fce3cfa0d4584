import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { LngLatBoundsLike, StyleSpecification } from 'maplibre-gl';
import { OUTILS, STATUTS } from '../../../shared/foncier/referentiel';

/** The land map's style, colours and drawing layer (maplibre), without React. */

export type Fc = FeatureCollection<Geometry, Record<string, unknown>>;
export type Couleur = 'statut' | 'outil';

/** French strings of the map's controls and its accessible name, for the territory shown. */
export const localeCarte = (du: string) => ({
  'Map.Title': `Carte des gisements fonciers ${du}. La liste des gisements affichés suit la carte.`,
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'NavigationControl.ResetBearing': 'Réorienter la carte vers le nord',
});

export function boundsOf(features: Feature[]): LngLatBoundsLike | null {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b[0] = Math.min(b[0], x!);
      b[1] = Math.min(b[1], y!);
      b[2] = Math.max(b[2], x!);
      b[3] = Math.max(b[3], y!);
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  for (const f of features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(b[0]) ? b : null;
}

export const couleurStatut: unknown[] = ['match', ['get', 'statut'], ...STATUTS.flatMap((s) => [s.code, s.couleur]), '#666666'];
export const couleurOutil: unknown[] = ['match', ['get', 'outil'], ...Object.entries(OUTILS).flatMap(([c, o]) => [c, o.couleur]), '#929292'];

export function style(communes: Fc, epci: Fc): StyleSpecification {
  const vide: Fc = { type: 'FeatureCollection', features: [] };
  return {
    version: 8,
    sources: {
      communes: { type: 'geojson', data: communes },
      epci: { type: 'geojson', data: epci },
      gisements: { type: 'geojson', data: vide, promoteId: 'id' },
      trace: { type: 'geojson', data: vide },
    },
    layers: [
      { id: 'fond', type: 'background', paint: { 'background-color': '#eef1f5' } },
      { id: 'communes-remplissage', type: 'fill', source: 'communes', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.7 } },
      { id: 'communes-contour', type: 'line', source: 'communes', paint: { 'line-color': '#929292', 'line-width': 0.6 } },
      { id: 'epci-contour', type: 'line', source: 'epci', paint: { 'line-color': '#3a3a3a', 'line-width': 1.6 } },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      { id: 'gisements-remplissage', type: 'fill', source: 'gisements', paint: { 'fill-color': couleurStatut as any, 'fill-opacity': 0.75 } },
      { id: 'gisements-contour', type: 'line', source: 'gisements', paint: { 'line-color': '#161616', 'line-width': ['case', ['boolean', ['feature-state', 'selection'], false], 3, 0.8] } },
      { id: 'trace-surface', type: 'fill', source: 'trace', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#000091', 'fill-opacity': 0.25 } },
      { id: 'trace-ligne', type: 'line', source: 'trace', paint: { 'line-color': '#000091', 'line-width': 2, 'line-dasharray': [2, 1] } },
      { id: 'trace-sommets', type: 'circle', source: 'trace', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 5, 'circle-color': '#000091', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
    ],
  };
}

/** The polygon being drawn: its vertices, its outline, and its surface from three vertices on. */
export function traceData(points: Position[]): Fc {
  const features: Feature<Geometry, Record<string, unknown>>[] = points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
  if (points.length >= 2) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: points.length >= 3 ? [...points, points[0]!] : points }, properties: {} });
  if (points.length >= 3) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...points, points[0]!]] }, properties: {} });
  return { type: 'FeatureCollection', features };
}
