import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { computed, column, definePolicy, rules } from './policy.js';
import type { Principal } from './principal.js';
import { sql, type SQL } from 'drizzle-orm';

const base: Principal = { userId: 'u', email: 'x@y.fr', nom: 'X', role: 'admin', organisationId: null, departement: null, epciSiren: null, communeInsee: null, via: 'session' };
const served = ['30', '34'];

interface Op {
  departement: string;
  epci_siren: string | null;
  commune_insee: string;
  bailleur_id: string;
  liens: string[];
  visibilite: string;
}
const territoire = { admin: rules.served, agent_etat: rules.departement, agent_epci: rules.epci, commune: rules.commune, bailleur: rules.organisation };
const policy = definePolicy<Op, 'read' | 'edit' | 'voir'>({
  introuvable: 'Introuvable.',
  sits: {
    departement: column('o.departement', 'departement'),
    epci: column('o.epci_siren', 'epci_siren'),
    commune: column('o.commune_insee', 'commune_insee'),
    organisation: column('o.bailleur_id', 'bailleur_id', { uuid: true }),
    links: column('o.liens', 'liens', { many: true, uuid: true }),
    visibility: column('o.visibilite', 'visibilite'),
  },
  actions: {
    read: { roles: territoire },
    edit: { permission: 'operations:write', roles: territoire },
    voir: { roles: { anonyme: rules.visibility('public'), bailleur: rules.anyOf(rules.linked, rules.visibility('partage')), financeur: rules.everything } },
  },
});

const nimes: Op = { departement: '30', epci_siren: '243000643', commune_insee: '30189', bailleur_id: 'org-a', liens: ['org-l'], visibilite: 'prive' };
const montpellier: Op = { departement: '34', epci_siren: '243400017', commune_insee: '34172', bailleur_id: 'org-b', liens: [], visibilite: 'public' };
const dialect = new PgDialect();
const text = (q: SQL) => dialect.sqlToQuery(q);

describe('a declared policy: the record check', () => {
  it('follows the role: département, EPCI, commune, organisation; the admin the served départements', () => {
    expect(policy.allows('read', { ...base, role: 'admin' }, nimes, served)).toBe(true);
    expect(policy.allows('read', { ...base, role: 'admin' }, nimes, ['34'])).toBe(false);
    expect(policy.allows('read', { ...base, role: 'agent_etat', departement: '30' }, nimes, served)).toBe(true);
    expect(policy.allows('read', { ...base, role: 'agent_etat', departement: '34' }, nimes, served)).toBe(false);
    expect(policy.allows('read', { ...base, role: 'agent_etat', departement: '34' }, montpellier, served)).toBe(true);
    expect(policy.allows('read', { ...base, role: 'agent_epci', epciSiren: '243000643' }, nimes, served)).toBe(true);
    expect(policy.allows('read', { ...base, role: 'agent_epci', epciSiren: '200066918' }, nimes, served)).toBe(false);
    expect(policy.allows('read', { ...base, role: 'commune', communeInsee: '30189' }, nimes, served)).toBe(true);
    expect(policy.allows('read', { ...base, role: 'commune', communeInsee: '30007' }, nimes, served)).toBe(false);
    expect(policy.allows('read', { ...base, role: 'bailleur', organisationId: 'org-a' }, nimes, served)).toBe(true);
    expect(policy.allows('read', { ...base, role: 'bailleur', organisationId: 'org-b' }, nimes, served)).toBe(false);
    // Undeclared role: nothing.
    expect(policy.allows('read', { ...base, role: 'epf', organisationId: 'org-a' }, nimes, served)).toBe(false);
  });

  it('never matches on a missing value (null is not a wildcard)', () => {
    expect(policy.allows('read', { ...base, role: 'agent_etat', departement: null }, nimes, served)).toBe(false);
    expect(policy.allows('read', { ...base, role: 'bailleur', organisationId: null }, { ...nimes, bailleur_id: null as unknown as string }, served)).toBe(false);
    expect(policy.allows('read', { ...base, role: 'commune', communeInsee: null }, {}, served)).toBe(false);
  });

  it('a record outside the served départements exists for nobody, whatever the rule', () => {
    expect(policy.allows('read', { ...base, role: 'agent_epci', epciSiren: '243000643' }, nimes, ['34'])).toBe(false);
    expect(policy.allows('voir', { ...base, role: 'financeur' }, nimes, ['34'])).toBe(true); // `everything` is unbounded
    expect(policy.allows('voir', undefined, montpellier, ['30'])).toBe(false);
  });

  it('an action’s permission comes before its rule', () => {
    expect(policy.allows('edit', { ...base, role: 'agent_etat', departement: '30' }, nimes, served)).toBe(true);
    expect(policy.allows('edit', { ...base, role: 'agent_epci', epciSiren: '243000643' }, nimes, served)).toBe(true);
    // The financer holds no operations:write.
    const financeurPolicy = definePolicy<Op, 'edit'>({ introuvable: 'x', sits: policy.declaration.sits, actions: { edit: { permission: 'operations:write', roles: { financeur: rules.served } } } });
    expect(financeurPolicy.allows('edit', { ...base, role: 'financeur' }, nimes, served)).toBe(false);
  });

  it('links, visibility and the anonymous caller', () => {
    expect(policy.allows('voir', undefined, montpellier, served)).toBe(true);
    expect(policy.allows('voir', undefined, nimes, served)).toBe(false);
    expect(policy.allows('voir', { ...base, role: 'bailleur', organisationId: 'org-l' }, nimes, served)).toBe(true);
    expect(policy.allows('voir', { ...base, role: 'bailleur', organisationId: 'org-z' }, nimes, served)).toBe(false);
    expect(policy.allows('voir', { ...base, role: 'bailleur', organisationId: 'org-z' }, { ...nimes, visibilite: 'partage' }, served)).toBe(true);
  });

  it('all-of rules: shared with the landlords of its département only', () => {
    const p = definePolicy<Op, 'read'>({ introuvable: 'x', sits: policy.declaration.sits, actions: { read: { roles: { bailleur: rules.allOf(rules.visibility('partage'), rules.departement) } } } });
    const partage = { ...nimes, visibilite: 'partage' };
    expect(p.allows('read', { ...base, role: 'bailleur', departement: '30' }, partage, served)).toBe(true);
    expect(p.allows('read', { ...base, role: 'bailleur', departement: '34' }, partage, served)).toBe(false);
    expect(p.allows('read', { ...base, role: 'bailleur', departement: '30' }, nimes, served)).toBe(false);
    expect(text(p.where('read', { ...base, role: 'bailleur', departement: '34' }, served)).sql).toBe('(o.departement = ANY($1::text[]) AND (o.visibilite = $2 AND o.departement = $3))');
  });

  it('visibleOr404 answers 404 with the declared message', () => {
    expect(() => policy.visibleOr404(nimes, { ...base, role: 'agent_etat', departement: '34' }, served)).toThrow(expect.objectContaining({ statusCode: 404, message: 'Introuvable.' }));
    expect(() => policy.visibleOr404(undefined, { ...base, role: 'admin' }, served)).toThrow(expect.objectContaining({ statusCode: 404 }));
    expect(policy.visibleOr404(nimes, { ...base, role: 'admin' }, served)).toBe(nimes);
  });
});

describe('a declared policy: the SQL derived from the same declaration', () => {
  it('one equality per role on the declared column, inside the served départements', () => {
    const etat = text(policy.where('read', { ...base, role: 'agent_etat', departement: '34' }, served));
    expect(etat.sql).toBe('(o.departement = ANY($1::text[]) AND o.departement = $2)');
    expect(etat.params).toEqual(['{"30","34"}', '34']);
    const bailleur = text(policy.where('read', { ...base, role: 'bailleur', organisationId: 'org-a' }, served));
    expect(bailleur.sql).toBe('(o.departement = ANY($1::text[]) AND o.bailleur_id = $2::uuid)');
    expect(text(policy.where('read', { ...base, role: 'admin' }, served)).sql).toBe('o.departement = ANY($1::text[])');
    expect(text(policy.where('read', { ...base, role: 'agent_etat', departement: null }, served)).sql).toBe('(o.departement = ANY($1::text[]) AND FALSE)');
    expect(text(policy.where('read', { ...base, role: 'epf' }, served)).sql).toBe('FALSE');
  });

  it('links and visibility; any-of rules; the list filters on the same columns', () => {
    const q = text(policy.where('voir', { ...base, role: 'bailleur', organisationId: 'org-l' }, served));
    expect(q.sql).toBe('(o.departement = ANY($1::text[]) AND ($2::uuid = ANY(o.liens) OR o.visibilite = $3))');
    expect(q.params).toEqual(['{"30","34"}', 'org-l', 'partage']);
    expect(policy.filters({ epci: '243000643', commune: undefined }).map((f) => text(f).sql)).toEqual(['o.epci_siren = $1']);
  });

  it('computed dimensions are selected under their key, for the record check to read the same value', () => {
    const p = definePolicy<{ deps: string[] }, 'read'>({
      introuvable: 'x',
      sits: { departement: computed(sql`ARRAY[a.dep]`, 'deps', { many: true }) },
      actions: { read: { roles: { agent_etat: rules.departement } } },
    });
    expect(text(p.columns).sql).toBe('ARRAY[a.dep] AS "deps"');
    expect(text(p.where('read', { ...base, role: 'agent_etat', departement: '34' }, served)).sql).toBe('(ARRAY[a.dep] && $1::text[] AND $2 = ANY(ARRAY[a.dep]))');
    expect(p.allows('read', { ...base, role: 'agent_etat', departement: '34' }, { deps: ['30', '34'] }, served)).toBe(true);
    expect(p.allows('read', { ...base, role: 'agent_etat', departement: '34' }, { deps: ['30'] }, served)).toBe(false);
  });
});
