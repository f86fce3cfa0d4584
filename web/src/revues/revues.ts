/** Words and dates of the project reviews. */

export const STATUTS_REVUE: Record<string, string> = {
  planifiee: 'Planifiée',
  tenue: 'Tenue',
  annulee: 'Annulée',
};

export const ORIGINES_POINT: Record<string, string> = {
  en_difficulte: 'Opération en difficulté',
  actions_en_cours: 'Actions en cours',
  ajout: 'Ajoutée à l’ordre du jour',
};

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });

/** "mardi 13 janvier 2026 à 09:30", in Paris time whatever the browser's zone. */
export function formatRevueDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : parisDateTime.format(d);
}

/** The UTC offset of Paris ("+01:00" or "+02:00") at a wall-clock date and time. */
function parisOffset(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const instant = new Date(Date.UTC(y, m - 1, d, h, mi));
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1]}:${match[2] ?? '00'}` : '+01:00';
}

/** A date (AAAA-MM-JJ) and a time (HH:MM) in Paris as ISO 8601 with the offset. */
export function parisIso(date: string, time: string): string {
  return `${date}T${time}:00${parisOffset(date, time)}`;
}

/**
 * What a write on a review changes: the review and the list of reviews (agenda size, escalations),
 * and the indicators (escalations, actions).
 */
export const INVALIDE_REVUE = ['/api/v1/revues', '/api/v1/indicateurs'];
