import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Polygon, Position } from 'geojson';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { OUTILS, STATUT_PAR_CODE, STATUTS } from '../../../shared/foncier/referentiel';
import { api, errorMessage, type Commune, type ListResponse } from '../api';
import { Loading } from '../components/Loading';
import type { Couleur, Fc } from '../foncier/carte';
import { CarteFoncier, type Filtres } from '../foncier/CarteFoncier';
import { FicheGisementCarte } from '../foncier/FicheGisementCarte';
import { champsDe, GisementForm, type GisementChamps } from '../foncier/GisementForm';
import { INVALIDE_GISEMENT, type Gisement, type GisementProps } from '../foncier/types';
import { formatInteger } from '../format';
import { useSession } from '../session';
import { useTerritoire } from '../territoire';
import { useApi, useInvalidate } from '../useApi';
import { usePageTitle } from '../usePageTitle';

/**
 * The land map: filters, the map (`foncier/CarteFoncier.tsx`), the selected gisement's sheet,
 * drawing a new gisement or a new outline, and the list of the gisements on screen. A write
 * invalidates the land data (`INVALIDE_GISEMENT`): the map's area and the sheet are fetched again.
 */
export default function FoncierPage() {
  usePageTitle('Carte du foncier');
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const territoire = useTerritoire();
  const invalidate = useInvalidate();
  const [communesGeo] = useApi<Fc>(`/api/v1/geo/communes?${territoire.query}`);
  const [epciGeo] = useApi<Fc>(`/api/v1/geo/epci?${territoire.query}`);
  const [communes] = useApi<ListResponse<Commune>>(`/api/v1/communes?${territoire.query}`);
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
      await invalidate(...INVALIDE_GISEMENT);
      setMessage({ severity: 'success', text: `Contour du gisement « ${g.nom} » redessiné (${formatInteger(g.surface_m2)} m², commune de ${g.commune.nom}).` });
      setDessin(null);
      setRedessin(null);
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
      await invalidate(...INVALIDE_GISEMENT);
      setMessage({ severity: 'success', text: `Gisement « ${g.nom} » créé sur la commune de ${g.commune.nom} (${formatInteger(g.surface_m2)} m²).` });
      setDessin(null);
      setFormulaire(false);
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
          {communesGeo.status === 'ready' && epciGeo.status === 'ready' && territoire.ready && (
            <CarteFoncier
              du={territoire.du}
              communes={communesGeo.data}
              epci={epciGeo.data}
              filtres={filtres}
              couleur={couleur}
              cible={cible}
              dessin={dessin}
              selection={selection}
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
            <div aria-live="polite">{selection ? <FicheGisementCarte key={selection} id={selection} onClose={() => select(null)} onRedessiner={(g) => { setRedessin(g); setDessin([]); setMessage(null); }} /> : <p>Cliquez sur un gisement de la carte, ou choisissez-le dans la liste, pour afficher sa fiche.</p>}</div>
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
