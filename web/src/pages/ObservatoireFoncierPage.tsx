import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { OUTILS, STATUTS } from '../../../shared/foncier/referentiel';
import { Loading } from '../components/Loading';
import type { Synthese } from '../foncier/types';
import { formatInteger } from '../format';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';

/** Horizontal bars, one per status: the figures are also in the table below (the chart is decorative to screen readers beyond its summary). */
function Barres({ titre, items }: { titre: string; items: { libelle: string; valeur: number; couleur: string }[] }) {
  const max = Math.max(1, ...items.map((i) => i.valeur));
  const h = 24;
  const resume = items.map((i) => `${i.libelle} : ${formatInteger(i.valeur)}`).join(' ; ');
  return (
    <figure className={fr.cx('fr-mb-3w')}>
      <svg className="atelier-barres" role="img" aria-label={`${titre}. ${resume}.`} width="100%" viewBox={`0 0 600 ${items.length * h + 4}`} preserveAspectRatio="xMinYMin meet">
        {items.map((i, n) => (
          <g key={i.libelle} transform={`translate(0, ${n * h})`}>
            <text x="0" y="16">{i.libelle}</text>
            <rect x="220" y="4" height="16" width={Math.max(1, (i.valeur / max) * 300)} fill={i.couleur} />
            <text x={226 + (i.valeur / max) * 300} y="16">{formatInteger(i.valeur)}</text>
          </g>
        ))}
      </svg>
      <figcaption className={fr.cx('fr-text--sm')}>{titre}</figcaption>
    </figure>
  );
}

export function ObservatoireFoncierPage() {
  usePageTitle('Observatoire du foncier');
  const [niveau, setNiveau] = useState<'epci' | 'commune'>('epci');
  const [s] = useApi<Synthese>(`/api/v1/foncier/synthese?niveau=${niveau}`);
  const libelleNiveau = niveau === 'epci' ? 'EPCI' : 'Commune';
  return (
    <>
      <Breadcrumb currentPageLabel="Observatoire" homeLinkProps={{ to: '/' }} segments={[{ label: 'Foncier', linkProps: { to: '/foncier' } }]} />
      <h1>Observatoire du foncier</h1>
      <p>Gisements de votre périmètre, surfaces et logements potentiels par statut et par outil ; indicateur de fin de PLH : logements livrés sur du foncier identifié, rapportés au potentiel (hors gisements abandonnés).</p>
      <Select label="Niveau" nativeSelectProps={{ id: 'niveau', value: niveau, onChange: (e) => setNiveau(e.target.value as 'epci' | 'commune') }}>
        <option value="epci">Par EPCI</option>
        <option value="commune">Par commune</option>
      </Select>
      <p>
        Exporter :{' '}
        <a className={fr.cx('fr-link')} href={`/api/v1/foncier/synthese/export.xlsx?niveau=${niveau}`} download>tableau Excel</a>
        {' · '}
        <a className={fr.cx('fr-link')} href={`/api/v1/foncier/synthese/export.csv?niveau=${niveau}`} download>CSV</a>
        {' · '}
        <a className={fr.cx('fr-link')} href="/api/v1/foncier/gisements/export.geojson" download>gisements en GeoJSON</a>
      </p>
      {s.status === 'loading' && <Loading label="Calcul de la synthèse…" />}
      {s.status === 'error' && <Alert severity="error" small description={s.message} />}
      {s.status === 'ready' && (
        <>
          <Barres
            titre="Logements potentiels par statut (tout le périmètre)"
            items={STATUTS.map((st) => ({ libelle: st.libelle, valeur: s.data.total.par_statut[st.code]?.capacite_logements ?? 0, couleur: st.couleur }))}
          />
          <Barres
            titre="Logements potentiels par outil (un gisement peut relever de plusieurs outils)"
            items={Object.entries(OUTILS).map(([c, o]) => ({ libelle: c.toUpperCase(), valeur: s.data.total.par_outil[c]?.capacite_logements ?? 0, couleur: o.couleur }))}
          />
          <Table
            caption={`Synthèse par ${niveau === 'epci' ? 'EPCI' : 'commune'}`}
            headers={[libelleNiveau, 'Gisements', 'Surface (m²)', 'Logements potentiels', 'dont sociaux', 'Livrés (PLH)', 'Potentiel (PLH)', 'Taux PLH']}
            data={[...s.data.rows, s.data.total].map((r) => [
              r.code ? `${r.nom} (${r.code})` : r.nom,
              formatInteger(r.nb_gisements),
              formatInteger(r.surface_m2),
              formatInteger(r.capacite_logements),
              formatInteger(r.capacite_lls),
              formatInteger(r.plh.logements_livres),
              formatInteger(r.plh.potentiel_logements),
              r.plh.taux == null ? '—' : `${String(r.plh.taux).replace('.', ',')} %`,
            ])}
          />
          <Table
            caption="Logements potentiels par statut"
            headers={[libelleNiveau, ...STATUTS.map((st) => st.libelle)]}
            data={[...s.data.rows, s.data.total].map((r) => [r.nom, ...STATUTS.map((st) => formatInteger(r.par_statut[st.code]?.capacite_logements ?? 0))])}
          />
          <Table
            caption="Logements potentiels par outil"
            headers={[libelleNiveau, ...Object.keys(OUTILS).map((c) => c.toUpperCase())]}
            data={[...s.data.rows, s.data.total].map((r) => [r.nom, ...Object.keys(OUTILS).map((c) => formatInteger(r.par_outil[c]?.capacite_logements ?? 0))])}
          />
        </>
      )}
    </>
  );
}
