import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type LngLatBoundsLike, type MapLayerMouseEvent, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { OUTILS, STATUT_PAR_CODE, STATUTS } from '../../../shared/foncier/referentiel';
import { api, errorMessage, type Commune, type ListResponse } from '../api';
import { Loading } from '../components/Loading';
import { champsDe, GisementForm, type GisementChamps } from '../foncier/GisementForm';
import type { Gisement, GisementProps } from '../foncier/types';
import { formatInteger } from '../format';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';

setWorkerUrl(workerUrl);

const DEPARTEMENT = '30';
const LIMITE = 5000;
type Fc = FeatureCollection<Geometry, Record<string, unknown>>;
type Couleur = 'statut' | 'outil';

const LOCALE = {
  'Map.Title': 'Carte des gisements fonciers du Gard. La liste des gisements affichés suit la carte.',
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'NavigationControl.ResetBearing': 'Réorienter la carte vers le nord',
};

function boundsOf(features: Feature[]): LngLatBoundsLike | null {
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

const couleurStatut: unknown[] = ['match', ['get', 'statut'], ...STATUTS.flatMap((s) => [s.code, s.couleur]), '#666666'];
const couleurOutil: unknown[] = ['match', ['get', 'outil'], ...Object.entries(OUTILS).flatMap(([c, o]) => [c, o.couleur]), '#929292'];

function style(communes: Fc, epci: Fc): StyleSpecification {
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

function traceData(points: Position[]): Fc {
  const features: Feature<Geometry, Record<string, unknown>>[] = points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
  if (points.length >= 2) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: points.length >= 3 ? [...points, points[0]!] : points }, properties: {} });
  if (points.length >= 3) features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...points, points[0]!]] }, properties: {} });
  return { type: 'FeatureCollection', features };
}

type Filtres = { statut: string; outil: string };

function CarteFoncier({
  communes,
  epci,
  filtres,
  couleur,
  cible,
  dessin,
  selection,
  rechargement,
  onFeatures,
  onSelect,
  onPoint,
}: {
  communes: Fc;
  epci: Fc;
  filtres: Filtres;
  couleur: Couleur;
  cible: string | null;
  dessin: Position[] | null;
  selection: string | null;
  rechargement: number;
  onFeatures: (f: GisementProps[], tronque: boolean) => void;
  onSelect: (id: string) => void;
  onPoint: (p: Position) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const cb = useRef({ onFeatures, onSelect, onPoint, filtres, dessin });
  cb.current = { onFeatures, onSelect, onPoint, filtres, dessin };
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [mouvement, setMouvement] = useState<'au-repos' | 'en-cours'>('au-repos');
  const charger = useRef<() => void>(() => {});
  const selectionRef = useRef<string | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    let map: MapLibreMap;
    try {
      map = new MapLibreMap({ container: ref.current, style: style(communes, epci), bounds: boundsOf(communes.features) ?? undefined, fitBoundsOptions: { padding: 16 }, attributionControl: false, locale: LOCALE, dragRotate: false, pitchWithRotate: false, maxZoom: 18 });
    } catch {
      setFailure('La carte ne peut pas s’afficher dans ce navigateur (WebGL indisponible). Utilisez la liste des gisements.');
      return;
    }
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.touchZoomRotate.disableRotation();
    let controller: AbortController | null = null;
    let pending = 0;
    // Loads the gisements of the visible area (the server answers GeoJSON, capped at LIMITE features).
    charger.current = () => {
      const b = map.getBounds();
      const { statut, outil } = cb.current.filtres;
      const q = new URLSearchParams({ bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5)).join(','), limit: String(LIMITE) });
      if (statut) q.set('statut', statut);
      if (outil) q.set('outil', outil);
      controller?.abort();
      controller = new AbortController();
      pending++;
      setMouvement('en-cours');
      fetch(`/api/v1/foncier/gisements?${q}`, { credentials: 'same-origin', signal: controller.signal })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((fc: Fc & { tronque?: boolean }) => {
          for (const f of fc.features) f.properties = { ...f.properties, outil: (f.properties.outils as string[] | undefined)?.[0] ?? 'aucun' };
          (map.getSource('gisements') as GeoJSONSource | undefined)?.setData(fc);
          cb.current.onFeatures(fc.features.map((f) => f.properties as unknown as GisementProps), Boolean(fc.tronque));
        })
        .catch((e: unknown) => {
          if ((e as Error).name !== 'AbortError') console.warn('Gisements indisponibles', e);
        })
        .finally(() => {
          pending--;
          if (pending === 0) map.once('idle', () => setMouvement('au-repos'));
        });
    };
    map.on('movestart', () => setMouvement('en-cours'));
    map.on('moveend', () => charger.current());
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
    map.on('error', (e) => console.error('Carte :', e.error));
    const onIdle = () => {
      if (map.isSourceLoaded('communes')) {
        setReady(true);
        map.off('idle', onIdle);
        charger.current();
      }
    };
    map.on('idle', onIdle);
    return () => {
      controller?.abort();
      mapRef.current = null;
      map.remove();
    };
  }, [communes, epci]);

  useEffect(() => {
    if (ready) charger.current();
  }, [filtres.statut, filtres.outil, rechargement, ready]);

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
  }, [selection, ready, rechargement]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !cible) return;
    const f = communes.features.find((x) => x.properties.code_insee === cible);
    const b = f ? boundsOf([f]) : null;
    if (b) map.fitBounds(b, { padding: 40, duration: 0 });
  }, [cible, ready, communes]);

  if (failure) return <Alert severity="warning" small description={failure} />;
  return <div ref={ref} className="atelier-carte__map" data-carte-etat={ready ? 'prete' : 'chargement'} data-mouvement={mouvement} />;
}

function Fiche({ id, onClose, onRedessiner }: { id: string; onClose: () => void; onRedessiner: (g: Gisement) => void }) {
  const [g] = useApi<Gisement>(`/api/v1/foncier/gisements/${id}`);
  if (g.status === 'loading') return <Loading label="Chargement du gisement…" />;
  if (g.status === 'error') return <Alert severity="error" small description={g.message} />;
  const x = g.data;
  return (
    <article className={fr.cx('fr-card', 'fr-p-3w')} aria-labelledby="fiche-gisement-titre">
      <h2 id="fiche-gisement-titre" className={fr.cx('fr-h5')}>{x.nom}</h2>
      {x.demo && <p className={fr.cx('fr-badge', 'fr-badge--warning', 'fr-badge--sm')}>Donnée de démonstration</p>}
      <dl className="atelier-dl">
        <dt>Commune</dt>
        <dd>{x.commune.nom} ({x.commune.code_insee})</dd>
        <dt>Statut</dt>
        <dd>{x.statut_libelle}</dd>
        <dt>Surface</dt>
        <dd>{formatInteger(x.surface_m2)} m²</dd>
        <dt>Capacité</dt>
        <dd>{formatInteger(x.capacite_logements)} logements, dont {formatInteger(x.capacite_lls)} sociaux</dd>
        <dt>Outils</dt>
        <dd>{x.outils_libelles.join(', ') || '—'}</dd>
      </dl>
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm')}>
        <li>
          <Link className={fr.cx('fr-btn', 'fr-btn--sm')} to={`/foncier/gisements/${x.id}`}>Ouvrir la fiche du gisement</Link>
        </li>
        {x.policies.modifier && (
          <li>
            <Button size="small" priority="secondary" onClick={() => onRedessiner(x)}>Redessiner le contour</Button>
          </li>
        )}
        <li>
          <Button size="small" priority="tertiary" onClick={onClose}>Fermer</Button>
        </li>
      </ul>
    </article>
  );
}

export default function FoncierPage() {
  usePageTitle('Carte du foncier');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const [communesGeo] = useApi<Fc>(`/api/v1/geo/communes?departement=${DEPARTEMENT}`);
  const [epciGeo] = useApi<Fc>(`/api/v1/geo/epci?departement=${DEPARTEMENT}`);
  const [communes] = useApi<ListResponse<Commune>>(`/api/v1/communes?departement=${DEPARTEMENT}`);
  const [filtres, setFiltres] = useState<Filtres>({ statut: '', outil: '' });
  const [couleur, setCouleur] = useState<Couleur>('statut');
  const [cible, setCible] = useState<string | null>(null);
  const [visibles, setVisibles] = useState<{ features: GisementProps[]; tronque: boolean }>({ features: [], tronque: false });
  const [dessin, setDessin] = useState<Position[] | null>(null);
  const [formulaire, setFormulaire] = useState(false);
  /** Set when the drawing replaces the outline of an existing gisement. */
  const [redessin, setRedessin] = useState<Gisement | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | null>(null);
  const [rechargement, setRechargement] = useState(0);
  const selection = params.get('gisement');
  const select = (id: string | null) => setParams(id ? { gisement: id } : {}, { replace: true });
  const sorted = useMemo(() => (communes.status === 'ready' ? [...communes.data.results].sort((a, b) => a.nom.localeCompare(b.nom, 'fr')) : []), [communes]);
  const nomCommune = useMemo(() => new Map(sorted.map((c) => [c.code_insee, c.nom])), [sorted]);

  async function remplacerContour() {
    if (!redessin || !dessin || dessin.length < 3) return;
    setBusy(true);
    setMessage(null);
    try {
      const geometrie: Polygon = { type: 'Polygon', coordinates: [[...dessin, dessin[0]!]] };
      const g = await api.patch<Gisement>(`/api/v1/foncier/gisements/${redessin.id}`, { geometrie });
      setMessage({ severity: 'success', text: `Contour du gisement « ${g.nom} » redessiné (${formatInteger(g.surface_m2)} m², commune de ${g.commune.nom}).` });
      setDessin(null);
      setRedessin(null);
      setRechargement((n) => n + 1);
    } catch (e) {
      setMessage({ severity: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  async function creer(v: GisementChamps) {
    if (!dessin || dessin.length < 3) return;
    setBusy(true);
    setMessage(null);
    try {
      const geometrie: Polygon = { type: 'Polygon', coordinates: [[...dessin, dessin[0]!]] };
      const g = await api.post<Gisement>('/api/v1/foncier/gisements', { ...v, geometrie, taux_sms: v.outils.includes('sms') ? v.taux_sms : null });
      setMessage({ severity: 'success', text: `Gisement « ${g.nom} » créé sur la commune de ${g.commune.nom} (${formatInteger(g.surface_m2)} m²).` });
      setDessin(null);
      setFormulaire(false);
      setRechargement((n) => n + 1);
      select(g.id);
    } catch (e) {
      setMessage({ severity: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Carte du foncier</h1>
      <p>
        Les gisements fonciers de votre périmètre : terrains et bâtiments où des logements sociaux peuvent être construits.
        La carte charge les gisements de la zone affichée ; la liste sous la carte en reprend le contenu.{' '}
        <Link to="/foncier/observatoire">Voir l’observatoire par EPCI et par commune</Link>
        {can('foncier:write') && (
          <>
            {' · '}
            <Link to="/foncier/import">Importer des gisements</Link>
          </>
        )}
      </p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
          <Select label="Statut" nativeSelectProps={{ id: 'filtre-statut', value: filtres.statut, onChange: (e) => setFiltres((f) => ({ ...f, statut: e.target.value })) }}>
            <option value="">Tous les statuts</option>
            {STATUTS.map((s) => <option key={s.code} value={s.code}>{s.libelle}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
          <Select label="Outil" nativeSelectProps={{ id: 'filtre-outil', value: filtres.outil, onChange: (e) => setFiltres((f) => ({ ...f, outil: e.target.value })) }}>
            <option value="">Tous les outils</option>
            {Object.entries(OUTILS).map(([c, o]) => <option key={c} value={c}>{o.libelle}</option>)}
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
          <Select label="Couleur des gisements" nativeSelectProps={{ id: 'couleur', value: couleur, onChange: (e) => setCouleur(e.target.value as Couleur) }}>
            <option value="statut">Selon le statut</option>
            <option value="outil">Selon le premier outil</option>
          </Select>
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-md-3')}>
          <Select label="Aller à la commune" nativeSelectProps={{ id: 'aller-commune', value: cible ?? '', onChange: (e) => setCible(e.target.value || null) }}>
            <option value="">— Choisir —</option>
            {sorted.map((c) => <option key={c.code_insee} value={c.code_insee}>{c.nom} ({c.code_insee})</option>)}
          </Select>
        </div>
      </div>
      {can('foncier:write') && (
        <div className={fr.cx('fr-mb-2w')}>
          {!dessin && !formulaire && (
            <Button iconId="fr-icon-edit-line" onClick={() => { setDessin([]); setMessage(null); }}>
              Dessiner un gisement
            </Button>
          )}
          {dessin && !formulaire && (
            <>
              <p aria-live="polite">Cliquez sur la carte pour placer les sommets du polygone ({dessin.length} placé{dessin.length > 1 ? 's' : ''} ; au moins 3).</p>
              <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm')}>
                <li>
                  <Button size="small" disabled={dessin.length < 3 || busy} onClick={() => (redessin ? void remplacerContour() : setFormulaire(true))}>
                    {redessin ? `Remplacer le contour de « ${redessin.nom} »` : 'Terminer le tracé'}
                  </Button>
                </li>
                <li><Button size="small" priority="secondary" disabled={dessin.length === 0} onClick={() => setDessin((d) => d?.slice(0, -1) ?? null)}>Retirer le dernier sommet</Button></li>
                <li><Button size="small" priority="tertiary" onClick={() => { setDessin(null); setRedessin(null); }}>Abandonner le tracé</Button></li>
              </ul>
            </>
          )}
        </div>
      )}
      <div aria-live="polite">{message && <Alert className={fr.cx('fr-mb-2w')} severity={message.severity} small description={message.text} />}</div>
      <div className="atelier-carte">
        <div>
          {(communesGeo.status === 'loading' || epciGeo.status === 'loading') && <Loading label="Chargement de la carte…" />}
          {communesGeo.status === 'error' && <Alert severity="error" small description={`Carte indisponible : ${communesGeo.message}`} />}
          {communesGeo.status === 'ready' && epciGeo.status === 'ready' && (
            <CarteFoncier
              communes={communesGeo.data}
              epci={epciGeo.data}
              filtres={filtres}
              couleur={couleur}
              cible={cible}
              dessin={dessin}
              selection={selection}
              rechargement={rechargement}
              onFeatures={(features, tronque) => setVisibles({ features, tronque })}
              onSelect={select}
              onPoint={(p) => setDessin((d) => (d ? [...d, p] : d))}
            />
          )}
          <section aria-labelledby="legende-foncier" className={fr.cx('fr-mt-2w')}>
            <h2 id="legende-foncier" className={fr.cx('fr-h6')}>Légende</h2>
            <ul className="atelier-legende">
              {(couleur === 'statut' ? STATUTS.map((s) => [s.code, s.libelle, s.couleur] as const) : Object.entries(OUTILS).map(([c, o]) => [c, o.libelle, o.couleur] as const)).map(([c, libelle, col]) => (
                <li key={c}>
                  <span className="atelier-legende__pastille" style={{ backgroundColor: col }} aria-hidden="true" />
                  {libelle}
                </li>
              ))}
            </ul>
          </section>
        </div>
        <div>
          {formulaire && dessin ? (
            <section aria-labelledby="nouveau-gisement">
              <h2 id="nouveau-gisement" className={fr.cx('fr-h5')}>Nouveau gisement</h2>
              <p>La commune est déduite du tracé ({dessin.length} sommets).</p>
              <GisementForm initial={champsDe()} onSubmit={creer} onCancel={() => setFormulaire(false)} submitLabel="Enregistrer le gisement" busy={busy} />
            </section>
          ) : (
            <div aria-live="polite">{selection ? <Fiche key={`${selection}-${rechargement}`} id={selection} onClose={() => select(null)} onRedessiner={(g) => { setRedessin(g); setDessin([]); setMessage(null); }} /> : <p>Cliquez sur un gisement de la carte, ou choisissez-le dans la liste, pour afficher sa fiche.</p>}</div>
          )}
        </div>
      </div>
      <section aria-labelledby="liste-gisements" className={fr.cx('fr-mt-4w')}>
        <h2 id="liste-gisements" className={fr.cx('fr-h4')}>Gisements affichés ({formatInteger(visibles.features.length)}{visibles.tronque ? ' premiers : zoomez pour voir les autres' : ''})</h2>
        {visibles.features.length === 0 ? (
          <p>Aucun gisement dans la zone affichée.</p>
        ) : (
          <Table
            caption="Gisements de la zone affichée"
            noCaption
            headers={['Gisement', 'Commune', 'Statut', 'Logements', 'dont sociaux', 'Outils']}
            data={visibles.features.slice(0, 200).map((g) => [
              <Link key={g.id} to={`/foncier/gisements/${g.id}`}>{g.nom}</Link>,
              nomCommune.get(g.commune) ?? g.commune,
              STATUT_PAR_CODE.get(g.statut)?.libelle ?? g.statut,
              formatInteger(g.capacite_logements),
              formatInteger(g.capacite_lls),
              g.outils.map((o) => o.toUpperCase()).join(', ') || '—',
            ])}
          />
        )}
        {visibles.features.length > 200 && <p>Seuls les 200 premiers sont listés ; filtrez ou zoomez.</p>}
      </section>
    </>
  );
}
