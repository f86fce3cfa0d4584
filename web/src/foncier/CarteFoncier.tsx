import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FeatureCollection, Geometry, Position } from 'geojson';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapLayerMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { ChoixFondCarte, sourceEnErreur, useChoixFond, useFondsCarte, useFondsSurCarte } from '../carte/fonds';
import { keyOf } from '../useApi';
import { boundsOf, couleurOutil, couleurStatut, localeCarte, style, traceData, type Couleur, type Fc } from './carte';
import type { GisementProps } from './types';

setWorkerUrl(workerUrl);

/** The server caps the answer of one area (foreign member `tronque` when more match). */
const LIMITE = 5000;

export type Filtres = { statut: string; outil: string };

/** The gisements of an area (`carteGisementsSchema`): a FeatureCollection, `tronque` when capped. */
type Zone = FeatureCollection<Geometry, GisementProps> & { tronque?: boolean };
/** The same, each with `outil`: its first tool, which the colour by tool reads. */
type ZoneColoree = FeatureCollection<Geometry, GisementProps & { outil: string }> & { tronque?: boolean };

/** The colour by tool reads the first tool of each gisement (a stable function: the cache memoizes its result). */
function avecOutil(fc: Zone): ZoneColoree {
  return {
    ...fc,
    features: fc.features.map((f) => ({ ...f, properties: { ...f.properties, outil: f.properties.outils[0] ?? 'aucun' } })),
  };
}

/**
 * The gisements of an area and filters, through the query cache: a write on a gisement
 * invalidates `['foncier']`, and the area on screen is fetched again.
 */
function useGisementsDeZone(bbox: string | null, filtres: Filtres) {
  const q = new URLSearchParams({ bbox: bbox ?? '', limit: String(LIMITE) });
  if (filtres.statut) q.set('statut', filtres.statut);
  if (filtres.outil) q.set('outil', filtres.outil);
  const path = `/api/v1/foncier/gisements?${q}`;
  return useQuery({
    queryKey: keyOf(path),
    queryFn: () => api.get<Zone>(path),
    enabled: bbox !== null,
    // The map keeps the previous area's gisements while the next one loads.
    placeholderData: keepPreviousData,
    select: avecOutil,
  });
}

/** The land map: gisements of the visible area, selection by click, polygon drawing. */
export function CarteFoncier({
  du,
  communes,
  epci,
  filtres,
  couleur,
  cible,
  dessin,
  selection,
  onFeatures,
  onSelect,
  onPoint,
}: {
  /** "du Gard": the territory shown, for the map's accessible name. */
  du: string;
  communes: Fc;
  epci: Fc;
  filtres: Filtres;
  couleur: Couleur;
  cible: string | null;
  dessin: Position[] | null;
  selection: string | null;
  onFeatures: (f: GisementProps[], tronque: boolean) => void;
  onSelect: (id: string) => void;
  onPoint: (p: Position) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const cb = useRef({ onFeatures, onSelect, onPoint, dessin });
  cb.current = { onFeatures, onSelect, onPoint, dessin };
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [bouge, setBouge] = useState(false);
  const [bbox, setBbox] = useState<string | null>(null);
  /** The answer last drawn on the map (the map is at rest once the current one is). */
  const [affiche, setAffiche] = useState<Zone | null>(null);
  const selectionRef = useRef<string | null>(null);
  const gisements = useGisementsDeZone(bbox, filtres);
  const fonds = useFondsCarte();
  const [choixFond, setChoixFond] = useChoixFond(fonds);
  // Over a basemap, the communes are outlines only (their white fill would hide it).
  const pannes = useFondsSurCarte(ready ? mapRef.current : null, ready, fonds, choixFond, 'communes-remplissage', (base) =>
    mapRef.current?.setPaintProperty('communes-remplissage', 'fill-opacity', base ? 0 : 0.7),
  );

  useEffect(() => {
    if (!ref.current) return;
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({ container: ref.current, style: style(communes, epci), bounds: boundsOf(communes.features) ?? undefined, fitBoundsOptions: { padding: 16 }, attributionControl: false, locale: localeCarte(du), dragRotate: false, pitchWithRotate: false, maxZoom: 18 });
    } catch {
      setFailure('La carte ne peut pas s’afficher dans ce navigateur (WebGL indisponible). Utilisez la liste des gisements.');
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.touchZoomRotate.disableRotation();
    const zone = () => {
      const b = map.getBounds();
      setBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5)).join(','));
      setBouge(false);
    };
    map.on('movestart', () => setBouge(true));
    map.on('moveend', zone);
    map.on('click', (e) => {
      if (cb.current.dessin) {
        cb.current.onPoint([Math.round(e.lngLat.lng * 1e7) / 1e7, Math.round(e.lngLat.lat * 1e7) / 1e7]);
        return;
      }
      const f = map.queryRenderedFeatures(e.point, { layers: ['gisements-remplissage'] })[0];
      if (f?.properties?.id) cb.current.onSelect(String(f.properties.id));
    });
    map.on('mousemove', 'gisements-remplissage', (e: MapLayerMouseEvent) => {
      map.getCanvas().style.cursor = cb.current.dessin ? 'crosshair' : e.features?.length ? 'pointer' : '';
    });
    map.on('mouseleave', 'gisements-remplissage', () => (map.getCanvas().style.cursor = cb.current.dessin ? 'crosshair' : ''));
    // A basemap that does not answer is said above the map (useFondsSurCarte), not logged as a fault.
    map.on('error', (e) => {
      if (!sourceEnErreur(e)?.startsWith('fond-')) console.error('Carte :', e.error);
    });
    const onIdle = () => {
      if (map.isSourceLoaded('communes')) {
        setReady(true);
        map.off('idle', onIdle);
        zone();
      }
    };
    map.on('idle', onIdle);
    return () => {
      mapRef.current = null;
      map.remove();
    };
  }, [communes, epci, du]);

  // The area's gisements on the map and in the list, once the map has drawn them.
  const data = gisements.data;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !data) return;
    (map.getSource('gisements') as GeoJSONSource | undefined)?.setData(data);
    cb.current.onFeatures(data.features.map((f) => f.properties), Boolean(data.tronque));
    if (selectionRef.current) map.setFeatureState({ source: 'gisements', id: selectionRef.current }, { selection: true });
    map.once('idle', () => setAffiche(data));
  }, [data, ready]);

  useEffect(() => {
    if (gisements.error) console.warn('Gisements indisponibles', gisements.error);
  }, [gisements.error]);

  useEffect(() => {
    const map = mapRef.current;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (map && ready) map.setPaintProperty('gisements-remplissage', 'fill-color', (couleur === 'statut' ? couleurStatut : couleurOutil) as any);
  }, [couleur, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource('trace') as GeoJSONSource | undefined)?.setData(traceData(dessin ?? []));
    map.getCanvas().style.cursor = dessin ? 'crosshair' : '';
  }, [dessin, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (selectionRef.current) map.setFeatureState({ source: 'gisements', id: selectionRef.current }, { selection: false });
    selectionRef.current = selection;
    if (selection) map.setFeatureState({ source: 'gisements', id: selection }, { selection: true });
  }, [selection, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !cible) return;
    const f = communes.features.find((x) => x.properties.code_insee === cible);
    const b = f ? boundsOf([f]) : null;
    if (b) map.fitBounds(b, { padding: 40, duration: 0 });
  }, [cible, ready, communes]);

  if (failure) return <Alert severity="warning" small description={failure} />;
  // At rest: not moving, the area's answer received (or failed) and drawn.
  const auRepos = ready && !bouge && !gisements.isFetching && (affiche === data || gisements.isError);
  return (
    <>
      <ChoixFondCarte fonds={fonds} choix={choixFond} onChange={setChoixFond} pannes={pannes} />
      <div ref={ref} className="atelier-carte__map" data-carte-etat={ready ? 'prete' : 'chargement'} data-mouvement={auRepos ? 'au-repos' : 'en-cours'} />
    </>
  );
}
