import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useCallback } from 'react';
import { useLocation, useParams } from 'react-router';
import type { Operation } from '../api';
import { EnDifficulteBadge } from '../components/badges';
import { DocumentsOperation } from '../components/DocumentsOperation';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { Blocages } from '../operations/fiche/Blocages';
import { Concertation } from '../operations/fiche/Concertation';
import { DonneesCles, Logements } from '../operations/fiche/DonneesCles';
import { ChangerEtapeForm, Timeline } from '../operations/fiche/Etapes';
import { FoncierEtAides } from '../operations/fiche/FoncierEtAides';
import { Historique } from '../operations/fiche/Historique';
import { ModifierOperationForm } from '../operations/fiche/ModifierOperation';
import { PlanFinancement } from '../operations/PlanFinancement';
import { INVALIDE_OPERATION, useReferentiel } from '../operations/referentiel';
import { useApi, useInvalidate } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useSubmission } from '../useSubmission';
import { NotFoundPage } from './NotFoundPage';

/**
 * An operation's sheet: one section per file in `operations/fiche/`. A write in any section
 * refreshes the operation and everything shown under it (`INVALIDE_OPERATION`), then the section
 * reports its success at the top of the page.
 */
export function OperationPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const [state] = useApi<Operation>(`/api/v1/operations/${encodeURIComponent(id)}`);
  const referentiel = useReferentiel();
  const invalidate = useInvalidate();
  const { outcome: message, succeed } = useSubmission(
    (location.state as { created?: boolean } | null)?.created ? { severity: 'success', text: 'L’opération a été déclarée.' } : null,
  );
  const nom = state.status === 'ready' ? state.data.nom : 'Opération';
  usePageTitle(state.status === 'ready' ? `${nom} — opération` : 'Opération');

  const changed = useCallback(
    async (text: string) => {
      await invalidate(...INVALIDE_OPERATION);
      succeed(text);
    },
    [invalidate, succeed],
  );

  if (state.status === 'error' && (state.httpStatus === 404 || state.httpStatus === 400)) return <NotFoundPage />;

  const ref = referentiel.status === 'ready' ? referentiel.data : undefined;
  return (
    <>
      <Breadcrumb currentPageLabel={nom} homeLinkProps={{ to: '/' }} segments={[{ label: 'Opérations', linkProps: { to: '/operations' } }]} />
      {state.status === 'loading' && <Loading label="Chargement de l’opération…" />}
      {state.status === 'error' && <Alert severity="error" title="Opération indisponible" description={state.message} />}
      {state.status === 'ready' && (
        <>
          <h1>{state.data.nom}</h1>
          {state.data.en_difficulte && (
            <p>
              <EnDifficulteBadge />
            </p>
          )}
          <OutcomeAlert live="polite" outcome={message} />
          <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
            <section className={fr.cx('fr-col-12', 'fr-col-md-7')} aria-labelledby="donnees-titre">
              <h2 id="donnees-titre">Données clés</h2>
              <DonneesCles operation={state.data} />
            </section>
            <section className={fr.cx('fr-col-12', 'fr-col-md-5')} aria-labelledby="logements-titre">
              <h2 id="logements-titre">Logements</h2>
              <Logements operation={state.data} />
            </section>
          </div>
          <section aria-labelledby="financement-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="financement-titre">Plan de financement</h2>
            <PlanFinancement key={state.data.updated_at} operation={state.data} onSaved={changed} />
          </section>
          {ref && (
            <section aria-labelledby="etapes-titre" className={fr.cx('fr-mt-4w')}>
              <h2 id="etapes-titre">Étapes</h2>
              <Timeline operation={state.data} referentiel={ref} />
              {state.data.policies.modifier && <ChangerEtapeForm operation={state.data} referentiel={ref} onChanged={changed} />}
            </section>
          )}
          {state.data.policies.modifier && (
            <section className={fr.cx('fr-mt-4w')} aria-label="Modification de l’opération">
              <ModifierOperationForm key={state.data.updated_at} operation={state.data} onChanged={changed} />
            </section>
          )}
          <section aria-labelledby="blocages-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="blocages-titre">Blocages</h2>
            <Blocages operation={state.data} onChanged={changed} />
          </section>
          <section aria-labelledby="concertation-section-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="concertation-section-titre">Concertation des riverains</h2>
            <Concertation operation={state.data} />
          </section>
          <section aria-labelledby="foncier-aides-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="foncier-aides-titre">Foncier et aides</h2>
            <FoncierEtAides operation={state.data} />
          </section>
          <section aria-labelledby="documents-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="documents-titre">Documents</h2>
            <DocumentsOperation operationId={state.data.id} modifier={state.data.policies.modifier} />
          </section>
          <section aria-labelledby="historique-titre" className={fr.cx('fr-mt-4w')}>
            <h2 id="historique-titre">Historique</h2>
            <Historique id={state.data.id} />
          </section>
        </>
      )}
    </>
  );
}
