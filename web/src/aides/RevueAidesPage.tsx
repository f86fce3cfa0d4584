import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { Loading } from '../components/Loading';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useSubmission } from '../useSubmission';
import { OutcomeAlert } from '../components/OutcomeAlert';
import type { Aide, Campagne } from './types';

/** The DDTM: aids waiting for review (publish or send back), and the campaign across financers. */
export function RevueAidesPage() {
  usePageTitle('Revue des aides');
  const [pending] = useApi<{ results: Aide[] }>('/api/v1/aides/revue/en-attente');
  const [campagne] = useApi<{ results: Campagne[] }>('/api/v1/aides/revue/campagne');
  const [motifs, setMotifs] = useState<Record<string, string>>({});
  // A decision changes the queue, the campaign, the catalogue and the financer's workspace.
  const { outcome, submit } = useSubmission(null, { invalidates: ['/api/v1/aides'] });
  /** Runs a write, then refreshes the aids shown and reports `ok` (or the French error). */
  const act = (fn: () => Promise<unknown>, ok: string) =>
    submit(async () => {
      await fn();
      return ok;
    });
  return (
    <>
      <h1>Revue des aides</h1>
      <p>
        <Link to="/aides/statistiques">Statistiques des recherches</Link> · <Link to="/aides/vocabulaire">Vocabulaire de la recherche</Link> ·{' '}
        <Link to="/aides/import">Importer des aides (format aides-territoires)</Link>
      </p>
      <OutcomeAlert outcome={outcome} live="polite" spacing="fr-mb-2w" />
      <h2>Aides en attente de revue</h2>
      {pending.status === 'loading' && <Loading />}
      {pending.status === 'error' && <Alert severity="error" small description={pending.message} />}
      {pending.status === 'ready' &&
        (pending.data.results.length === 0 ? (
          <p>Aucune aide en attente.</p>
        ) : (
          <Table
            caption="Aides soumises par les financeurs"
            headers={['Aide', 'Financeur', 'Décision']}
            data={pending.data.results.map((a) => [
              <Link key="l" to={`/aides/${a.slug}`}>
                {a.name}
              </Link>,
              a.financers.join(', '),
              <div key="d">
                <Button size="small" onClick={() => act(() => api.post(`/api/v1/aides/${a.slug}/publier`), `« ${a.name} » est publiée.`)} nativeButtonProps={{ 'aria-label': `Publier ${a.name}` }}>
                  Publier
                </Button>
                <Input
                  className={fr.cx('fr-mt-2w', 'fr-mb-1w')}
                  label={`Motif du renvoi de « ${a.name} »`}
                  nativeInputProps={{ value: motifs[a.slug] ?? '', onChange: (e) => setMotifs({ ...motifs, [a.slug]: e.target.value }) }}
                />
                <Button size="small" priority="secondary" onClick={() => act(() => api.post(`/api/v1/aides/${a.slug}/renvoyer`, { motif: motifs[a.slug] ?? '' }), `« ${a.name} » est renvoyée à son financeur.`)} nativeButtonProps={{ 'aria-label': `Renvoyer ${a.name} au financeur` }}>
                  Renvoyer
                </Button>
              </div>,
            ])}
          />
        ))}
      <h2>Campagne : les financeurs du département</h2>
      {campagne.status === 'ready' && (
        <Table
          caption="Aides publiées par organisation financeur (celles qui n’ont rien publié d’abord)"
          headers={['Financeur', 'Publiées', 'En revue', 'Brouillons', 'Expirées', 'Dernière publication']}
          data={campagne.data.results.map((c) => [
            c.nom,
            c.publiees === 0 ? 'aucune' : String(c.publiees),
            String(c.en_revue),
            String(c.brouillons),
            String(c.expirees),
            c.derniere_publication ? new Date(c.derniere_publication).toLocaleDateString('fr-FR') : '—',
          ])}
        />
      )}
    </>
  );
}
