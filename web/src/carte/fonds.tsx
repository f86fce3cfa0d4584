import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useQuery } from '@tanstack/react-query';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import type { FondCarte, FondsCarte } from '../../../shared/carte/fonds';
import { api } from '../api';

/**
 * Basemaps of a maplibre map (issue 12): the sources the platform configures
 * (GET /api/v1/carte/fonds), a chooser, and their layers under the map's own layers. Without a
 * configured source, or when one does not answer, the map keeps its outlines and says so.
 */

/** The configured basemaps, fetched once per page life (they change with a deployment). */
export function useFondsCarte(): FondCarte[] | null {
  const q = useQuery({ queryKey: ['reference', 'carte', 'fonds'], queryFn: () => api.get<FondsCarte>('/api/v1/carte/fonds'), staleTime: Infinity });
  return q.data?.fonds ?? (q.isError ? [] : null);
}

export interface ChoixFond {
  /** The basemap shown (null: outlines only). */
  fond: string | null;
  /** Overlays shown on top (the cadastral parcels). */
  superpositions: string[];
}

const CLE = 'atelier.carte.fond';

/** The user's choice, kept in the browser between visits; the first basemap by default. */
export function useChoixFond(fonds: FondCarte[] | null): [ChoixFond, (c: ChoixFond) => void] {
  const [choix, setChoix] = useState<ChoixFond | null>(() => {
    try {
      const v = JSON.parse(localStorage.getItem(CLE) ?? 'null') as ChoixFond | null;
      return v && typeof v === 'object' ? v : null;
    } catch {
      return null;
    }
  });
  const effectif: ChoixFond = (() => {
    if (!fonds) return { fond: null, superpositions: [] };
    const ids = new Set(fonds.map((f) => f.id));
    const defaut = fonds.find((f) => !f.superposable)?.id ?? null;
    if (!choix) return { fond: defaut, superpositions: [] };
    return { fond: choix.fond && ids.has(choix.fond) ? choix.fond : choix.fond === null ? null : defaut, superpositions: choix.superpositions.filter((s) => ids.has(s)) };
  })();
  const changer = (c: ChoixFond) => {
    setChoix(c);
    try {
      localStorage.setItem(CLE, JSON.stringify(c));
    } catch {
      /* private browsing: the choice lasts for the page */
    }
  };
  return [effectif, changer];
}

const couche = (f: FondCarte) => `fond-${f.id}`;

/**
 * Adds every configured source to the map, hidden, under `avant` (the first layer of the map's own
 * data), basemaps first and overlays above them. Call once the style is loaded.
 */
export function ajouterFonds(map: MapLibreMap, fonds: FondCarte[], avant: string) {
  for (const f of [...fonds.filter((x) => !x.superposable), ...fonds.filter((x) => x.superposable)]) {
    if (map.getSource(couche(f))) continue;
    map.addSource(couche(f), { type: 'raster', tiles: f.tiles, tileSize: f.tileSize, maxzoom: f.maxzoom, attribution: f.attribution });
    map.addLayer({ id: couche(f), type: 'raster', source: couche(f), layout: { visibility: 'none' } }, avant);
  }
}

/** Shows the chosen basemap and overlays, hides the others. Returns whether a basemap is shown. */
export function appliquerFonds(map: MapLibreMap, fonds: FondCarte[], choix: ChoixFond): boolean {
  let visible = false;
  for (const f of fonds) {
    if (!map.getLayer(couche(f))) continue;
    const on = f.superposable ? choix.superpositions.includes(f.id) : choix.fond === f.id;
    map.setLayoutProperty(couche(f), 'visibility', on ? 'visible' : 'none');
    if (on && !f.superposable) visible = true;
  }
  return visible;
}

/** The source a maplibre error event is about (tile errors carry `sourceId`). */
export const sourceEnErreur = (e: unknown): string | undefined => (e as { sourceId?: string }).sourceId;

/** Calls `panne(id)` when a basemap's tiles fail (no network, host down). */
export function surveillerFonds(map: MapLibreMap, panne: (id: string) => void) {
  map.on('error', (e) => {
    const source = sourceEnErreur(e);
    if (source?.startsWith('fond-')) panne(source.slice('fond-'.length));
  });
}

/** The chooser above the map: a basemap (or outlines only) and the overlays; the attribution below. */
export function ChoixFondCarte({ fonds, choix, onChange, pannes }: { fonds: FondCarte[] | null; choix: ChoixFond; onChange: (c: ChoixFond) => void; pannes: string[] }) {
  if (!fonds) return null;
  if (fonds.length === 0) {
    return <p className="fr-text--sm fr-mb-1w">Aucun fond de carte n’est configuré sur cette plateforme : la carte montre les contours des communes et des EPCI.</p>;
  }
  const bases = fonds.filter((f) => !f.superposable);
  const superposables = fonds.filter((f) => f.superposable);
  const actifs = fonds.filter((f) => (f.superposable ? choix.superpositions.includes(f.id) : choix.fond === f.id));
  const enPanne = fonds.filter((f) => pannes.includes(f.id) && actifs.includes(f));
  return (
    <div className="atelier-fonds">
      <RadioButtons
        legend="Fond de carte"
        small
        orientation="horizontal"
        options={[
          ...bases.map((f) => ({ label: f.libelle, nativeInputProps: { name: 'fond-carte', value: f.id, checked: choix.fond === f.id, onChange: () => onChange({ ...choix, fond: f.id }) } })),
          { label: 'Contours seuls', nativeInputProps: { name: 'fond-carte', value: '', checked: choix.fond === null, onChange: () => onChange({ ...choix, fond: null }) } },
        ]}
      />
      {superposables.length > 0 && (
        <Checkbox
          legend="Couches"
          small
          orientation="horizontal"
          options={superposables.map((f) => ({
            label: f.libelle,
            nativeInputProps: {
              name: 'couches-carte',
              value: f.id,
              checked: choix.superpositions.includes(f.id),
              onChange: () => onChange({ ...choix, superpositions: choix.superpositions.includes(f.id) ? choix.superpositions.filter((s) => s !== f.id) : [...choix.superpositions, f.id] }),
            },
          }))}
        />
      )}
      {enPanne.length > 0 && (
        <p className="fr-error-text fr-mt-0" role="status">
          {enPanne.map((f) => `« ${f.libelle} »`).join(' et ')} ne répond pas (réseau ou service indisponible) : la carte garde les contours des communes.
        </p>
      )}
      {actifs.length > 0 && <p className="fr-text--xs fr-mb-1w atelier-fonds__attribution">Fond de carte : {[...new Set(actifs.map((f) => f.attribution).filter(Boolean))].join(' · ')}</p>}
    </div>
  );
}

/** Keeps a map's basemaps in step with the choice; returns the failing sources. */
export function useFondsSurCarte(map: MapLibreMap | null, ready: boolean, fonds: FondCarte[] | null, choix: ChoixFond, avant: string, onBase?: (visible: boolean) => void): string[] {
  const [pannes, setPannes] = useState<string[]>([]);
  useEffect(() => {
    if (!map || !ready || !fonds?.length) return;
    ajouterFonds(map, fonds, avant);
    surveillerFonds(map, (id) => setPannes((p) => (p.includes(id) ? p : [...p, id])));
  }, [map, ready, fonds, avant]);
  useEffect(() => {
    if (!map || !ready || !fonds) return;
    const base = appliquerFonds(map, fonds, choix);
    onBase?.(base);
  }, [map, ready, fonds, choix.fond, choix.superpositions.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  return pannes;
}
