import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useLocation, useParams } from 'react-router';
import { api, type Revue } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useReferentiel } from '../operations/referentiel';
import { AjouterOperation } from '../revues/AjouterOperation';
import { DocumentsRevue } from '../revues/DocumentsRevue';
import { EnTeteRevue } from '../revues/EnTeteRevue';
import { InviterForm } from '../revues/InviterForm';
import { PointRevue } from '../revues/PointRevue';
import { INVALIDE_REVUE } from '../revues/revues';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useSubmission } from '../useSubmission';
import { NotFoundPage } from './NotFoundPage';

/**
 * A project review: header, invitations, documents, then one section per agenda item
 * (`revues/PointRevue.tsx`). Every write refreshes the review from the API (`INVALIDE_REVUE`).
 */
export function RevuePage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const path = `/api/v1/revues/${encodeURIComponent(id)}`;
  const [state] = useApi<Revue>(path);
  const referentiel = useReferentiel();
  const { outcome: message, succeed, submit } = useSubmission(
    (location.state as { created?: boolean } | null)?.created ? { severity: 'success', text: 'La revue de projet a été planifiée.' } : null,
    { invalidates: INVALIDE_REVUE },
  );
  const revue = state.status === 'ready' ? state.data : null;
  const titre = revue ? `Revue de projet — ${revue.epci.nom ?? revue.epci.siren}` : 'Revue de projet';
  usePageTitle(titre);

  if (state.status === 'error' && (state.httpStatus === 404 || state.httpStatus === 400)) return <NotFoundPage />;

  function marquerTenue() {
    return submit(async () => {
      await api.patch<Revue>(path, { statut: 'tenue' });
      return 'La revue est marquée comme tenue.';
    });
  }

  function actualiser() {
    return submit(async () => {
      const { ajoutes } = await api.post<{ ajoutes: number }>(`${path}/ordre-du-jour/actualiser`);
      return `${ajoutes} opération(s) ajoutée(s) à l’ordre du jour.`;
    });
  }

  const ref = referentiel.status === 'ready' ? referentiel.data : undefined;
  return (
    <>
      <Breadcrumb currentPageLabel={titre} homeLinkProps={{ to: '/' }} segments={[{ label: 'Revues de projet', linkProps: { to: '/revues' } }]} />
      {state.status === 'loading' && <Loading label="Chargement de la revue…" />}
      {state.status === 'error' && <Alert severity="error" title="Revue indisponible" description={state.message} />}
      {revue && (
        <>
          <h1>{titre}</h1>
          <OutcomeAlert live="polite" outcome={message} />
          <EnTeteRevue revue={revue} />
          {revue.statut === 'planifiee' && (revue.policies.gerer || revue.policies.contribuer) && (
            <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-mt-2w')}>
              {revue.policies.gerer && (
                <li>
                  <Button type="button" priority="secondary" onClick={() => void marquerTenue()}>
                    Marquer comme tenue
                  </Button>
                </li>
              )}
              {revue.policies.contribuer && (
                <li>
                  <Button type="button" priority="secondary" onClick={() => void actualiser()}>
                    Actualiser l’ordre du jour
                  </Button>
                </li>
              )}
            </ul>
          )}
          {revue.policies.gerer && <InviterForm revue={revue} onInvited={(n) => succeed(`${n} participant(s) invité(s).`)} />}
          <DocumentsRevue revue={revue} />
          <h2 className={fr.cx('fr-mt-4w')}>Ordre du jour</h2>
          {revue.points.length === 0 ? (
            <p>Aucune opération à l’ordre du jour.</p>
          ) : (
            revue.points.map((p) => <PointRevue key={p.id} revue={revue} point={p} referentiel={ref} />)
          )}
          {revue.policies.contribuer && revue.statut === 'planifiee' && (
            <AjouterOperation revue={revue} onAdded={(nom) => succeed(`L’opération « ${nom} » a été ajoutée à l’ordre du jour.`)} />
          )}
        </>
      )}
    </>
  );
}
