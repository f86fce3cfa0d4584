import { describe, expect, it } from 'vitest';
import type { Principal } from './principal.js';
import { inScope } from './scope.js';

const base: Principal = {
  userId: 'u',
  email: 'x@y.fr',
  nom: 'X',
  role: 'admin',
  organisationId: null,
  departement: null,
  epciSiren: null,
  communeInsee: null,
  via: 'session',
};

const nimesOperation = { departement: '30', epciSiren: '243000643', communeInsee: '30060', organisationId: 'org-a' };

describe('record scope', () => {
  it('follows the role: département, EPCI, commune, organisation', () => {
    expect(inScope({ ...base, role: 'admin' }, nimesOperation)).toBe(true);
    expect(inScope({ ...base, role: 'agent_etat', departement: '30' }, nimesOperation)).toBe(true);
    expect(inScope({ ...base, role: 'agent_etat', departement: '34' }, nimesOperation)).toBe(false);
    expect(inScope({ ...base, role: 'agent_epci', epciSiren: '243000643' }, nimesOperation)).toBe(true);
    expect(inScope({ ...base, role: 'agent_epci', epciSiren: '200066918' }, nimesOperation)).toBe(false);
    expect(inScope({ ...base, role: 'commune', communeInsee: '30060' }, nimesOperation)).toBe(true);
    expect(inScope({ ...base, role: 'commune', communeInsee: '30189' }, nimesOperation)).toBe(false);
    expect(inScope({ ...base, role: 'bailleur', organisationId: 'org-a' }, nimesOperation)).toBe(true);
    expect(inScope({ ...base, role: 'bailleur', organisationId: 'org-b' }, nimesOperation)).toBe(false);
  });

  it('never matches on a missing value (null is not a wildcard)', () => {
    expect(inScope({ ...base, role: 'agent_etat', departement: null }, { departement: null })).toBe(false);
    expect(inScope({ ...base, role: 'bailleur', organisationId: null }, { organisationId: null })).toBe(false);
    expect(inScope({ ...base, role: 'commune', communeInsee: null }, {})).toBe(false);
  });
});
