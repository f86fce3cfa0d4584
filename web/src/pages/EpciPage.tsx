import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link, useParams } from 'react-router';
import type { Commune, Epci, ListResponse } from '../api';
import { libelleTypeEpci } from '../components/FicheCommune';
import { Loading } from '../components/Loading';
import { formatInteger } from '../format';
import { useTerritoire } from '../territoire';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { NotFoundPage } from './NotFoundPage';

export function EpciPage() {
  const { siren = '' } = useParams();
  const [state] = useApi<Epci>(`/api/v1/epci/${encodeURIComponent(siren)}`);
  const territoire = useTerritoire();
  // Names of the member communes (the EPCI answer only lists their codes).
  const [communes] = useApi<ListResponse<Commune>>(`/api/v1/communes?epci=${encodeURIComponent(siren)}`);
  const nom = state.status === 'ready' ? state.data.nom : 'EPCI';
  usePageTitle(state.status === 'ready' ? `${nom} — EPCI` : 'EPCI');

  if (state.status === 'error' && state.httpStatus === 404) return <NotFoundPage />;
  const noms = new Map(communes.status === 'ready' ? communes.data.results.map((c) => [c.code_insee, c.nom]) : []);
  return (
    <>
      <Breadcrumb
        currentPageLabel={nom}
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Carte', linkProps: { to: '/carte' } }]}
      />
      {state.status === 'loading' && <Loading label="Chargement de l’EPCI…" />}
      {state.status === 'error' && <Alert severity="error" title="EPCI indisponible" description={state.message} />}
      {state.status === 'ready' && (
        <>
          <h1>{state.data.nom}</h1>
          <dl>
            <dt className={fr.cx('fr-text--bold')}>Nature juridique</dt>
            <dd>{libelleTypeEpci(state.data.type)}</dd>
            <dt className={fr.cx('fr-text--bold')}>SIREN</dt>
            <dd>{state.data.siren}</dd>
            <dt className={fr.cx('fr-text--bold')}>Population</dt>
            <dd>{state.data.population === null ? 'non connue' : `${formatInteger(state.data.population)} habitants`}</dd>
          </dl>
          <h2>
            Communes membres {territoire.ready ? `dans le territoire ${territoire.du}` : ''} ({state.data.communes.length})
          </h2>
          <ul className={fr.cx('fr-mb-4w')}>
            {state.data.communes
              .map((code) => ({ code, nom: noms.get(code) ?? code }))
              .sort((a, b) => a.nom.localeCompare(b.nom, 'fr'))
              .map((c) => (
                <li key={c.code}>
                  <Link to={`/communes/${c.code}`}>{c.nom}</Link>
                </li>
              ))}
          </ul>
        </>
      )}
    </>
  );
}
