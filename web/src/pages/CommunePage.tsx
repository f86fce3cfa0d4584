import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { useParams } from 'react-router';
import type { Commune } from '../api';
import { CommuneFacts } from '../components/FicheCommune';
import { Loading } from '../components/Loading';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { NotFoundPage } from './NotFoundPage';

export function CommunePage() {
  const { code = '' } = useParams();
  const [state] = useApi<Commune>(`/api/v1/communes/${encodeURIComponent(code)}`);
  const nom = state.status === 'ready' ? state.data.nom : 'Commune';
  usePageTitle(state.status === 'ready' ? `${nom} — fiche commune` : 'Fiche commune');

  if (state.status === 'error' && state.httpStatus === 404) return <NotFoundPage />;
  return (
    <>
      <Breadcrumb
        currentPageLabel={nom}
        homeLinkProps={{ to: '/' }}
        segments={[{ label: 'Carte', linkProps: { to: '/carte' } }]}
      />
      {state.status === 'loading' && <Loading label="Chargement de la fiche commune…" />}
      {state.status === 'error' && <Alert severity="error" title="Fiche indisponible" description={state.message} />}
      {state.status === 'ready' && (
        <>
          <h1>{state.data.nom}</h1>
          <CommuneFacts commune={state.data} />
        </>
      )}
    </>
  );
}
