import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, signIn, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let admin: Client;
let etat: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app, DEMO.admin);
  etat = await signIn(t.app, DEMO.agentEtat);
});
afterAll(() => t.close());

describe('accounts', () => {
  it('anonymous → 401; a role without the permission → 403', async () => {
    expect((await t.app.inject('/api/v1/users')).statusCode).toBe(401);
    const bailleur = await signIn(t.app, DEMO.bailleur);
    expect((await bailleur.get('/api/v1/users')).statusCode).toBe(403);
    expect((await etat.post('/api/v1/users', { email: 'x@y.fr', nom: 'X', role: 'admin' })).statusCode).toBe(403);
  });

  it('an administrator creates an EPCI agent; the département is derived from the EPCI; the write is audited', async () => {
    const res = await admin.post('/api/v1/users', {
      email: 'Nouvel.Agent@Example.FR',
      nom: 'Nouvel Agent',
      role: 'agent_epci',
      epci_siren: '200066918', // Alès Agglomération
      password: 'un-mot-de-passe-solide',
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ email: 'nouvel.agent@example.fr', role: 'agent_epci', epci_siren: '200066918', departement: '30' });
    // The new account signs in with its password.
    const c = await signIn(t.app, 'nouvel.agent@example.fr', 'un-mot-de-passe-solide');
    expect((await c.get('/api/v1/me')).json().scope).toMatchObject({ type: 'epci', code: '200066918' });
    const audit = (await admin.get(`/api/v1/audit?entity_type=user&entity_id=${user.id}`)).json();
    expect(audit.results.map((e: { action: string }) => e.action)).toEqual(['connexion', 'creation']);
    const creation = audit.results[1];
    expect(creation).toMatchObject({ action: 'creation', actor_label: DEMO.admin, entity_type: 'user', departement: '30' });
    expect(JSON.stringify(creation.after)).not.toContain('un-mot-de-passe-solide');
    expect(creation.after.passwordHash).toBe('[masqué]');
  });

  it('rejects a role without its scope, an unknown EPCI or commune, and a duplicate e-mail, naming the field and value', async () => {
    const noScope = await admin.post('/api/v1/users', { email: 'a@b.fr', nom: 'A', role: 'commune' });
    expect(noScope.statusCode).toBe(422);
    expect(noScope.json().message).toMatch(/commune_insee/);
    const unknownEpci = await admin.post('/api/v1/users', { email: 'a@b.fr', nom: 'A', role: 'agent_epci', epci_siren: '123456789' });
    expect(unknownEpci.statusCode).toBe(422);
    expect(unknownEpci.json().message).toMatch(/123456789/);
    const badSiren = await admin.post('/api/v1/users', { email: 'a@b.fr', nom: 'A', role: 'agent_epci', epci_siren: '12345' });
    expect(badSiren.statusCode).toBe(400);
    expect(badSiren.json().message).toMatch(/SIREN invalide/);
    const badRole = await admin.post('/api/v1/users', { email: 'a@b.fr', nom: 'A', role: 'maire' });
    expect(badRole.statusCode).toBe(400);
    const dup = await admin.post('/api/v1/users', { email: DEMO.commune, nom: 'A', role: 'admin' });
    expect(dup.statusCode).toBe(409);
    const shortPassword = await admin.post('/api/v1/users', { email: 'c@d.fr', nom: 'C', role: 'admin', password: 'court' });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.json().message).toMatch(/12 caractères/);
  });

  it('a bailleur account must belong to a bailleur organisation', async () => {
    const orgs = (await admin.get('/api/v1/organisations?type=financeur')).json();
    const res = await admin.post('/api/v1/users', { email: 'e@f.fr', nom: 'E', role: 'bailleur', organisation_id: orgs.results[0].id });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/type financeur/);
  });

  it('a State agent reads the accounts of their département; an account outside it is 404', async () => {
    const list = (await etat.get('/api/v1/users')).json<{ results: { email: string; departement: string | null }[] }>();
    expect(list.results.map((u) => u.email)).toContain(DEMO.commune);
    expect(list.results.every((u) => u.departement === '30')).toBe(true);
    // The national administrator has no département: outside the State agent's scope.
    const adminMe = (await admin.get('/api/v1/me')).json<{ id: string }>();
    expect((await etat.get(`/api/v1/users/${adminMe.id}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/users/${adminMe.id}`)).statusCode).toBe(200);
    expect((await admin.get('/api/v1/users/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('an administrator cannot deactivate themself', async () => {
    const me = (await admin.get('/api/v1/me')).json<{ id: string }>();
    const res = await admin.patch(`/api/v1/users/${me.id}`, { actif: false });
    expect(res.statusCode).toBe(422);
  });
});

describe('organisations', () => {
  it('lists the demo organisations, clearly named as demos', async () => {
    const res = (await etat.get('/api/v1/organisations')).json<{ results: { nom: string; demo: boolean; type: string }[] }>();
    const types = new Set(res.results.map((o) => o.type));
    for (const type of ['etat', 'epci', 'commune', 'bailleur', 'financeur', 'epf']) expect(types.has(type)).toBe(true);
    for (const o of res.results.filter((o) => o.demo)) expect(o.nom).toMatch(/démo|fictif/i);
  });

  it('a State agent creates an organisation in their département only; the write is audited', async () => {
    const ok = await etat.post('/api/v1/organisations', { type: 'bailleur', nom: 'Un Office Public', siren: '272 000 000' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ siren: '272000000', departement: '30', demo: false });
    const audit = (await etat.get(`/api/v1/audit?entity_type=organisation&entity_id=${ok.json().id}`)).json();
    expect(audit.results[0]).toMatchObject({ action: 'creation', actor_label: DEMO.agentEtat });
    const elsewhere = await etat.post('/api/v1/organisations', { type: 'bailleur', nom: 'Ailleurs', departement: '34' });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().message).toMatch(/34/);
    const commune = await signIn(t.app, DEMO.commune);
    expect((await commune.post('/api/v1/organisations', { type: 'autre', nom: 'X' })).statusCode).toBe(403);
  });
});
