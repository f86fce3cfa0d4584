import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { STATUTS_BLOCAGE } from '../../../shared/operations/referentiel';
import { formatDate } from '../format';
import { ORIGINES_POINT, STATUTS_REVUE } from '../revues/revues';

/** The status badges the pages share: one look for one status wherever it appears. */

/** An operation flagged in difficulty (an open blocker or a stage overdue). */
export function EnDifficulteBadge() {
  return (
    <Badge as="span" small severity="warning">
      En difficulté
    </Badge>
  );
}

/** A project review's status: planned, held, cancelled. */
export function StatutRevueBadge({ statut }: { statut: string }) {
  return (
    <Badge as="span" small noIcon severity={statut === 'tenue' ? 'success' : statut === 'annulee' ? 'error' : 'info'}>
      {STATUTS_REVUE[statut] ?? statut}
    </Badge>
  );
}

/** A blocker's status, with the day it was lifted. */
export function StatutBlocageBadge({ statut, leveLe }: { statut: string; leveLe?: string | null }) {
  return (
    <Badge as="span" small noIcon severity={statut === 'leve' ? 'success' : 'warning'}>
      {STATUTS_BLOCAGE[statut as keyof typeof STATUTS_BLOCAGE] ?? statut}
      {statut === 'leve' && leveLe ? ` le ${formatDate(leveLe)}` : ''}
    </Badge>
  );
}

/** Why an operation is on a review's agenda. */
export function OriginePointBadge({ origine }: { origine: string }) {
  return (
    <Badge as="span" small noIcon severity={origine === 'en_difficulte' ? 'warning' : 'info'}>
      {ORIGINES_POINT[origine] ?? origine}
    </Badge>
  );
}

/** A review action: closed (and when), late, or open. */
export function StatutActionBadge({ statut, enRetard, closeLe }: { statut: string; enRetard: boolean; closeLe: string | null }) {
  return (
    <Badge as="span" small noIcon severity={statut === 'close' ? 'success' : enRetard ? 'warning' : 'info'}>
      {statut === 'close' ? `Close${closeLe ? ` le ${formatDate(closeLe)}` : ''}` : enRetard ? 'En retard' : 'Ouverte'}
    </Badge>
  );
}
