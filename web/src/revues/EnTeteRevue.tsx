import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Revue } from '../api';
import { StatutRevueBadge } from '../components/badges';
import { formatRevueDate } from './revues';

/** When and where the review is held, its status and its invited participants. */
export function EnTeteRevue({ revue }: { revue: Revue }) {
  return (
    <dl className="atelier-fiche">
      <dt className={fr.cx('fr-text--bold')}>Date</dt>
      <dd>{formatRevueDate(revue.date)}</dd>
      <dt className={fr.cx('fr-text--bold')}>Lieu</dt>
      <dd>{revue.lieu ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Statut</dt>
      <dd>
        <StatutRevueBadge statut={revue.statut} />
      </dd>
      <dt className={fr.cx('fr-text--bold')}>Participants invités</dt>
      <dd>
        {revue.participants.length === 0 ? (
          'aucun'
        ) : (
          <ul className="atelier-participants">
            {revue.participants.map((p) => (
              <li key={p.email}>
                {p.nom ? `${p.nom} (${p.email})` : p.email}
                {p.organisation ? ` — ${p.organisation}` : ''}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}
