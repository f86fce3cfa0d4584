import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Reponse } from '../../../shared/contract';
import type { etatSynchronisationSchema, synchronisationSchema } from '../../../shared/aides/synchronisation.contract';
import { api } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useApi } from '../useApi';
import { useSubmission } from '../useSubmission';

type Etat = Reponse<typeof etatSynchronisationSchema>;
type Execution = Reponse<typeof synchronisationSchema>;

const CHEMIN = '/api/v1/aides/synchronisation';
const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }) : '—');
const STATUT: Record<Execution['statut'], string> = { en_cours: 'en cours', reussie: 'réussie', echouee: 'échouée' };

/** What a run changed, in one sentence. */
const bilan = (r: Execution) =>
  `${r.lues} aides lues : ${r.creees} créées, ${r.mises_a_jour} mises à jour, ${r.retirees} retirées, ${r.inchangees} inchangées, ${r.ignorees} ignorées`;

/**
 * The aides-territoires sync on the DDTM's import page: off without an API key (and said so), else
 * its last runs with their counts and error, and a run on demand (docs/decisions/0017).
 */
export function SynchronisationAides() {
  const [etat] = useApi<Etat>(CHEMIN);
  const { outcome, submit, busy } = useSubmission(null, { invalidates: [CHEMIN, '/api/v1/aides'] });
  if (etat.status === 'loading') return <Loading label="État de la synchronisation…" />;
  if (etat.status === 'error') return <Alert severity="error" small description={etat.message} />;
  const e = etat.data;
  const lancer = () =>
    void submit(async () => {
      const r = await api.post<Execution>(CHEMIN, {});
      if (r.statut === 'echouee') throw new Error(r.erreur ?? 'Synchronisation échouée.');
      return `Synchronisation terminée. ${bilan(r)}.`;
    });
  return (
    <section className={fr.cx('fr-mb-6w')} aria-labelledby="synchronisation-at">
      <h2 id="synchronisation-at">Synchronisation avec aides-territoires</h2>
      {!e.configuree ? (
        <Alert severity="warning" title="Synchronisation désactivée" description={e.message ?? ''} />
      ) : (
        <>
          <p>
            Les aides des départements servis ({e.departements.join(', ')}) publiées sur <a href={e.url} target="_blank" rel="noopener noreferrer" title="aides-territoires — nouvelle fenêtre">aides-territoires</a> sont
            reprises toutes les {e.intervalle_heures} heures : {e.aides_synchronisees} aides synchronisées, {e.aides_retirees} retirées depuis d’aides-territoires.
            Dernière synchronisation réussie : {date(e.derniere_reussie)}.
          </p>
          {e.derniere?.statut === 'echouee' && <Alert className={fr.cx('fr-mb-2w')} severity="error" title="La dernière synchronisation a échoué" description={e.derniere.erreur ?? ''} />}
          <OutcomeAlert outcome={outcome} live="polite" spacing="fr-mb-2w" />
          <Button onClick={lancer} disabled={busy} className={fr.cx('fr-mb-2w')}>
            {busy ? 'Synchronisation en cours…' : 'Synchroniser maintenant'}
          </Button>
          {e.historique.length > 0 && (
            <Table
              caption="Dernières synchronisations"
              headers={['Début', 'Statut', 'Mode', 'Lancée par', 'Bilan', 'Erreur']}
              data={e.historique.map((r) => [date(r.debut), STATUT[r.statut], r.mode === 'complete' ? 'complète' : 'incrémentale', r.declencheur, bilan(r), r.erreur ?? '—'])}
            />
          )}
        </>
      )}
    </section>
  );
}
