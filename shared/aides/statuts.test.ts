import { describe, expect, it } from 'vitest';
import { STATUTS_AIDE } from './referentiel.js';
import { actionsPossibles, TRANSITIONS_AIDE, transitionAide } from './statuts.js';

describe('aid status transitions', () => {
  it('only name known statuses', () => {
    const codes = STATUTS_AIDE.map((s) => s.code) as string[];
    for (const t of Object.values(TRANSITIONS_AIDE)) {
      expect(codes).toContain(t.vers);
      for (const d of t.depuis) expect(codes).toContain(d);
    }
  });

  it('follow the review: draft → under review → published → expired; sent back or edited to draft', () => {
    expect(transitionAide('soumettre', 'brouillon')).toEqual({ vers: 'en_revue' });
    expect(transitionAide('publier', 'en_revue')).toEqual({ vers: 'publiee' });
    expect(transitionAide('renvoyer', 'en_revue')).toEqual({ vers: 'brouillon' });
    expect(transitionAide('expirer', 'publiee')).toEqual({ vers: 'expiree' });
    expect(transitionAide('modifier', 'publiee')).toEqual({ vers: 'brouillon' });
    expect(transitionAide('modifier', 'expiree')).toEqual({ vers: 'brouillon' });
  });

  it('the aides-territoires sync withdraws a published or expired aid, and takes it back when listed again', () => {
    expect(transitionAide('retirer', 'publiee')).toEqual({ vers: 'retiree' });
    expect(transitionAide('retirer', 'expiree')).toEqual({ vers: 'retiree' });
    expect(transitionAide('retirer', 'brouillon')).toEqual({ refus: 'Seule une aide publiée ou expirée peut être retirée (statut actuel : brouillon).' });
    expect(transitionAide('reprendre', 'retiree')).toEqual({ vers: 'publiee' });
    expect(actionsPossibles('retiree')).toEqual(['reprendre']);
  });

  it('refuse the others with the French message the clients have always seen', () => {
    expect(transitionAide('publier', 'brouillon')).toEqual({ refus: 'Seule une aide en revue peut être publiée (statut actuel : brouillon).' });
    expect(transitionAide('soumettre', 'publiee')).toEqual({ refus: 'Seul un brouillon peut être soumis à la revue (statut actuel : publiee).' });
    expect(transitionAide('renvoyer', 'publiee')).toEqual({ refus: 'Seule une aide en revue peut être renvoyée (statut actuel : publiee).' });
    expect(transitionAide('modifier', 'en_revue')).toEqual({ refus: 'Aide en cours de revue par la DDTM : attendez sa décision avant de la modifier.' });
    expect(actionsPossibles('en_revue')).toEqual(['publier', 'renvoyer']);
  });
});
