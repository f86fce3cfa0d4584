/** Words, types and invalidations of the attributions pages (issue 14). */
import type { Reponse } from '../../../shared/contract';
import type { calendrierSchema, seanceSchema, seancesSchema } from '../../../shared/attributions/caleol.contract';
import type { logementLibereSchema, logementsLiberesSchema } from '../../../shared/attributions/logements-liberes.contract';
import type { livraisonsSchema } from '../../../shared/attributions/livraisons.contract';

export type Seance = Reponse<typeof seanceSchema>;
export type Seances = Reponse<typeof seancesSchema>;
export type Calendrier = Reponse<typeof calendrierSchema>;
export type LogementLibere = Reponse<typeof logementLibereSchema>;
export type LogementsLiberes = Reponse<typeof logementsLiberesSchema>;
export type Livraisons = Reponse<typeof livraisonsSchema>;

/** A write on a sitting changes the sittings' list and the dwellings that name it. */
export const INVALIDE_SEANCES = ['/api/v1/caleol/seances', '/api/v1/logements-liberes'];
export const INVALIDE_LOGEMENTS = ['/api/v1/logements-liberes'];

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });
const parisHeure = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', timeStyle: 'short' });

/** « mardi 10 février 2027 à 09:30 – 11:30 », in Paris time. */
export function horaire(debut: string, fin: string): string {
  return `${parisDateTime.format(new Date(debut))} – ${parisHeure.format(new Date(fin))}`;
}

/** AAAA-MM-JJ as JJ/MM/AAAA. */
export const jourFr = (d: string | null) => (d ? d.split('-').reverse().join('/') : '—');
