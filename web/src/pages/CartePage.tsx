import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import {
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
  type LngLatBoundsLike,
  type MapLayerMouseEvent,
  type StyleSpecification,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// The worker is served from our own origin (CSP `worker-src 'self' blob:`): without this,
// maplibre looks for it next to its own module, which does not exist once bundled.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Commune, ListResponse } from '../api';
import { FicheCommune } from '../components/FicheCommune';
import { Loading } from '../components/Loading';
import { formatInteger } from '../format';
import { useTerritoire } from '../territoire';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import type { Reponse } from '../../../shared/contract';
import type { proprietesContourCommuneSchema, proprietesContourEpciSchema } from '../../../shared/referentiel/referentiel.contract';

setWorkerUrl(workerUrl);


/** Properties of the outlines, from the referential's contract. */
type CommuneProperties = Reponse<typeof proprietesContourCommuneSchema>;
type EpciProperties = Reponse<typeof proprietesContourEpciSchema>;

type Communes = FeatureCollection<Geometry, CommuneProperties>;
type Epcis = FeatureCollection<Geometry, EpciProperties>;

/** French strings for the few maplibre controls and the canvas' accessible name. */
const locale = (du: string) => ({
  'Map.Title': `Carte des communes ${du} colorées selon leur EPCI. Cliquez une commune pour ouvrir sa fiche.`,
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'NavigationControl.ResetBearing': 'Réorienter la carte vers le nord',
  'CooperativeGesturesHandler.WindowsHelpText': 'Utilisez Ctrl + molette pour zoomer',
  'CooperativeGesturesHandler.MacHelpText': 'Utilisez ⌘ + molette pour zoomer',
  'CooperativeGesturesHandler.MobileHelpText': 'Utilisez deux doigts pour déplacer la carte',
});

function extendBounds(bounds: [number, number, number, number], geometry: Geometry): void {
  const visit = (coords: Position | Position[] | Position[][] | Position[][][]): void => {
    if (typeof coords[0] === 'number') {
      const [x, y] = coords as Position;
      if (x === undefined || y === undefined) return;
      bounds[0] = Math.min(bounds[0], x);
      bounds[1] = Math.min(bounds[1], y);
      bounds[2] = Math.max(bounds[2], x);
      bounds[3] = Math.max(bounds[3], y);
      return;
    }
    for (const c of coords as Position[]) visit(c);
  };
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries) extendBounds(bounds, g);
  } else {
    visit(geometry.coordinates);
  }
}

function boundsOf(features: Feature[]): LngLatBoundsLike | null {
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) if (f.geometry) extendBounds(bounds, f.geometry);
  return Number.isFinite(bounds[0]) ? bounds : null;
}

function mapStyle(communes: Communes, epci: Epcis): StyleSpecification {
  // No base tiles and no glyphs: the contours are the base layer, nothing is fetched elsewhere.
  return {
    version: 8,
    sources: {
      communes: { type: 'geojson', data: communes, promoteId: 'code_insee' },
      epci: { type: 'geojson', data: epci, promoteId: 'siren' },
    },
    layers: [
      { id: 'fond', type: 'background', paint: { 'background-color': '#eef1f5' } },
      {
        id: 'communes-remplissage',
        type: 'fill',
        source: 'communes',
        paint: {
          'fill-color': ['get', 'couleur'],
          'fill-opacity': [
            'case',
            ['boolean', ['feature-state', 'survol'], false],
            0.95,
            ['boolean', ['feature-state', 'selection'], false],
            0.95,
            0.6,
          ],
        },
      },
      {
        id: 'communes-contour',
        type: 'line',
        source: 'communes',
        paint: { 'line-color': '#ffffff', 'line-width': 0.6 },
      },
      {
        id: 'epci-contour',
        type: 'line',
        source: 'epci',
        paint: { 'line-color': '#3a3a3a', 'line-width': 1.6 },
      },
      {
        id: 'commune-survol',
        type: 'line',
        source: 'communes',
        filter: ['==', ['get', 'code_insee'], ''],
        paint: { 'line-color': '#161616', 'line-width': 2 },
      },
      {
        id: 'commune-selection',
        type: 'line',
        source: 'communes',
        filter: ['==', ['get', 'code_insee'], ''],
        paint: { 'line-color': '#000091', 'line-width': 3.5 },
      },
    ],
  };
}

type MapProps = {
  /** "du Gard": the territory the map shows, for its accessible name. */
  du: string;
  communes: Communes;
  epci: Epcis;
  selected: string | null;
  onSelect: (code: string) => void;
};

/** The maplibre map. Hover highlights a commune, a click selects it. */
function CarteCommunes({ du, communes, epci, selected, onSelect }: MapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const selectedRef = useRef<string | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({
        container,
        style: mapStyle(communes, epci),
        bounds: boundsOf(communes.features) ?? undefined,
        fitBoundsOptions: { padding: 16 },
        attributionControl: false,
        locale: locale(du),
        dragRotate: false,
        pitchWithRotate: false,
        maxZoom: 14,
      });
    } catch {
      setFailure('La carte ne peut pas s’afficher dans ce navigateur (WebGL indisponible). Utilisez la liste des communes.');
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.touchZoomRotate.disableRotation();

    let hovered: string | null = null;
    const setHovered = (code: string | null) => {
      if (hovered === code) return;
      if (hovered) map.setFeatureState({ source: 'communes', id: hovered }, { survol: false });
      hovered = code;
      if (code) map.setFeatureState({ source: 'communes', id: code }, { survol: true });
      map.setFilter('commune-survol', ['==', ['get', 'code_insee'], code ?? '']);
      map.getCanvas().style.cursor = code ? 'pointer' : '';
    };
    map.on('mousemove', 'communes-remplissage', (e: MapLayerMouseEvent) => {
      const code = e.features?.[0]?.properties?.code_insee;
      setHovered(typeof code === 'string' ? code : null);
    });
    map.on('mouseleave', 'communes-remplissage', () => setHovered(null));
    map.on('click', 'communes-remplissage', (e: MapLayerMouseEvent) => {
      const code = e.features?.[0]?.properties?.code_insee;
      if (typeof code === 'string') onSelectRef.current(code);
    });
    map.on('error', (e) => {
      console.error('Carte :', e.error);
    });
    // "Ready" once the commune source is loaded and drawn (the e2e tests wait for it).
    const onIdle = () => {
      if (map.isSourceLoaded('communes')) {
        setReady(true);
        map.off('idle', onIdle);
      }
    };
    map.on('idle', onIdle);

    return () => {
      mapRef.current = null;
      map.remove();
    };
  }, [communes, epci]);

  // Reflect the selection on the map and bring the commune into view.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const previous = selectedRef.current;
    if (previous) map.setFeatureState({ source: 'communes', id: previous }, { selection: false });
    selectedRef.current = selected;
    map.setFilter('commune-selection', ['==', ['get', 'code_insee'], selected ?? '']);
    if (!selected) return;
    map.setFeatureState({ source: 'communes', id: selected }, { selection: true });
    const feature = communes.features.find((f) => f.properties.code_insee === selected);
    const bounds = feature ? boundsOf([feature]) : null;
    if (!bounds) return;
    // Only move when the commune is not fully visible: a click on the map should not jump.
    const view = map.getBounds();
    const [w, s, e, n] = bounds as [number, number, number, number];
    if (!(view.contains([w, s]) && view.contains([e, n]))) {
      map.fitBounds(bounds, { padding: 60, maxZoom: 11, duration: 600 });
    }
  }, [selected, ready, communes]);

  if (failure) return <Alert severity="warning" small description={failure} />;
  return <div ref={containerRef} className="atelier-carte__map" data-carte-etat={ready ? 'prete' : 'chargement'} />;
}

function Legende({ du, epci }: { du: string; epci: Epcis }) {
  const items = [...epci.features]
    .map((f) => f.properties)
    .sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
  return (
    <section aria-labelledby="legende-titre" className={fr.cx('fr-mt-3w')}>
      <h2 id="legende-titre" className={fr.cx('fr-h6')}>
        Légende : les EPCI {du}
      </h2>
      <ul className="atelier-legende">
        {items.map((e) => (
          <li key={e.siren}>
            <span className="atelier-legende__pastille" style={{ backgroundColor: e.couleur }} aria-hidden="true" />
            <Link to={`/epci/${e.siren}`}>{e.nom}</Link>
          </li>
        ))}
      </ul>
      <p className={fr.cx('fr-text--xs')}>
        Les traits épais marquent les limites des EPCI. Contours : IGN Admin Express (Licence Ouverte) ; découpage
        communal et intercommunal : INSEE et DGCL, 2026.
      </p>
    </section>
  );
}

function ChoixCommune({
  communes,
  selected,
  onSelect,
}: {
  communes: Commune[];
  selected: string | null;
  onSelect: (code: string | null) => void;
}) {
  const sorted = useMemo(() => [...communes].sort((a, b) => a.nom.localeCompare(b.nom, 'fr')), [communes]);
  return (
    <Select
      label="Choisir une commune"
      hint={`${communes.length} communes, par ordre alphabétique. Tapez les premières lettres pour aller plus vite.`}
      nativeSelectProps={{
        id: 'choix-commune',
        value: selected ?? '',
        onChange: (e) => onSelect(e.target.value || null),
      }}
    >
      <option value="">— Sélectionner une commune —</option>
      {sorted.map((c) => (
        <option key={c.code_insee} value={c.code_insee}>
          {c.nom} ({c.code_insee})
        </option>
      ))}
    </Select>
  );
}

export default function CartePage() {
  usePageTitle('Carte des communes');
  const [params, setParams] = useSearchParams();
  const selected = params.get('commune');
  const territoire = useTerritoire();
  const [communesGeo] = useApi<Communes>(`/api/v1/geo/communes?${territoire.query}`);
  const [epciGeo] = useApi<Epcis>(`/api/v1/geo/epci?${territoire.query}`);
  const [communes] = useApi<ListResponse<Commune>>(`/api/v1/communes?${territoire.query}`);

  const select = (code: string | null) => {
    setParams(code ? { commune: code } : {}, { replace: true });
  };

  return (
    <>
      <h1>Carte des communes {territoire.du}</h1>
      <p>
        {communes.status === 'ready' ? `Les ${formatInteger(communes.data.count)} communes` : 'Les communes'} {territoire.du},
        colorées selon l’établissement public de coopération intercommunale (EPCI) auquel elles appartiennent. Choisissez une commune sur la carte ou dans la liste pour afficher sa fiche.
      </p>
      <div className="atelier-carte">
        <div>
          {(communesGeo.status === 'loading' || epciGeo.status === 'loading') && <Loading label="Chargement de la carte…" />}
          {communesGeo.status === 'error' && (
            <Alert severity="error" small description={`Carte indisponible : ${communesGeo.message}`} />
          )}
          {communesGeo.status === 'ready' && epciGeo.status === 'ready' && territoire.ready && (
            <CarteCommunes du={territoire.du} communes={communesGeo.data} epci={epciGeo.data} selected={selected} onSelect={select} />
          )}
          {epciGeo.status === 'ready' && <Legende du={territoire.du} epci={epciGeo.data} />}
        </div>
        <div>
          <h2 className={fr.cx('fr-h5')}>Trouver une commune</h2>
          {communes.status === 'loading' && <Loading label="Chargement de la liste des communes…" />}
          {communes.status === 'error' && <Alert severity="error" small description={communes.message} />}
          {communes.status === 'ready' && (
            <ChoixCommune communes={communes.data.results} selected={selected} onSelect={select} />
          )}
          <div aria-live="polite" className={fr.cx('fr-mt-3w')}>
            {selected && <FicheCommune key={selected} code={selected} onClose={() => select(null)} />}
          </div>
        </div>
      </div>
    </>
  );
}
