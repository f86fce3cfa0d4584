import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Evenement } from '../../api';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../format';
import { useApi } from '../../useApi';

/** The operation's timeline of events (refreshed with the sheet after every write). */
export function Historique({ id }: { id: string }) {
  const [evenements] = useApi<{ results: Evenement[] }>(`/api/v1/operations/${id}/evenements`);
  if (evenements.status === 'loading') return <Loading label="Chargement de l’historique…" />;
  if (evenements.status === 'error') return <Alert severity="error" small description={evenements.message} />;
  if (evenements.data.results.length === 0) return <p>Aucun événement.</p>;
  return (
    <ul className="atelier-historique">
      {evenements.data.results.map((e) => (
        <li key={String(e.id)}>
          <span className={fr.cx('fr-text--sm', 'fr-text--bold')}>{formatDateTime(e.at)}</span> — {e.resume}
          {e.auteur && <span className={fr.cx('fr-text--sm')}> ({e.auteur})</span>}
        </li>
      ))}
    </ul>
  );
}
