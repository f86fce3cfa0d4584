/**
 * An aid's life as data (like shared/operations/etapes.ts): which action moves it from which
 * statuses to which one. The aids service and the expiry job read this table; the UI can show
 * only the actions it allows.
 *
 *   brouillon ──soumettre──▶ en_revue ──publier──▶ publiee ──expirer──▶ expiree
 *        ▲                      │                    │                    │
 *        └──────renvoyer────────┘                    └───modifier─────────┴──▶ brouillon
 *
 *   publiee, expiree ──retirer (sync)──▶ retiree ──reprendre (sync)──▶ publiee
 */
import type { StatutAide } from './referentiel.js';

export type ActionAide = 'modifier' | 'soumettre' | 'publier' | 'renvoyer' | 'expirer' | 'retirer' | 'reprendre';

export interface TransitionAide {
  /** Statuses the action may start from. */
  depuis: readonly StatutAide[];
  /** The status it leads to. */
  vers: StatutAide;
  /** Why it is refused from another status (French, for the user). */
  refus: (statut: string) => string;
}

export const TRANSITIONS_AIDE: Record<ActionAide, TransitionAide> = {
  /** A financer edits its aid; a published or expired one goes back to draft (reviewed again). */
  modifier: {
    depuis: ['brouillon', 'publiee', 'expiree'],
    vers: 'brouillon',
    refus: () => 'Aide en cours de revue par la DDTM : attendez sa décision avant de la modifier.',
  },
  soumettre: {
    depuis: ['brouillon'],
    vers: 'en_revue',
    refus: (statut) => `Seul un brouillon peut être soumis à la revue (statut actuel : ${statut}).`,
  },
  publier: {
    depuis: ['en_revue'],
    vers: 'publiee',
    refus: (statut) => `Seule une aide en revue peut être publiée (statut actuel : ${statut}).`,
  },
  renvoyer: {
    depuis: ['en_revue'],
    vers: 'brouillon',
    refus: (statut) => `Seule une aide en revue peut être renvoyée (statut actuel : ${statut}).`,
  },
  /** The daily job: a published aid past its submission deadline. */
  expirer: {
    depuis: ['publiee'],
    vers: 'expiree',
    refus: (statut) => `Seule une aide publiée peut expirer (statut actuel : ${statut}).`,
  },
  /** The aides-territoires sync: an aid it had written is no longer listed upstream. */
  retirer: {
    depuis: ['publiee', 'expiree'],
    vers: 'retiree',
    refus: (statut) => `Seule une aide publiée ou expirée peut être retirée (statut actuel : ${statut}).`,
  },
  /** The sync again: a withdrawn aid listed upstream once more (expired at once if its deadline has passed). */
  reprendre: {
    depuis: ['retiree'],
    vers: 'publiee',
    refus: (statut) => `Seule une aide retirée peut être reprise (statut actuel : ${statut}).`,
  },
};

/** The status an action leads to from `statut`, or the French reason it is refused. */
export function transitionAide(action: ActionAide, statut: string): { vers: StatutAide } | { refus: string } {
  const t = TRANSITIONS_AIDE[action];
  return (t.depuis as readonly string[]).includes(statut) ? { vers: t.vers } : { refus: t.refus(statut) };
}

/** The actions possible from a status (for the UI's buttons). */
export const actionsPossibles = (statut: string): ActionAide[] =>
  (Object.keys(TRANSITIONS_AIDE) as ActionAide[]).filter((a) => (TRANSITIONS_AIDE[a].depuis as readonly string[]).includes(statut));
