/**
 * Issue 19, findings 2 to 9: each test reproduces the outside probe's request and fails on the code
 * the probe found (finding 1, CSV injection, is covered by the export tests).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { rows } from '../server/db/client.js';
import { journalRecherches } from '../server/modules/aides/aides.journal.js';
import { createTestApp, DEMO, signIn, signInMany, type Client, type TestContext } from './helpers.js';

let t: TestContext;
let admin: Client;
let etat: Client;

beforeAll(async () => {
  t = await createTestApp();
  [admin, etat] = await signInMany(t.app, [DEMO.admin, DEMO.agentEtat]);
});
afterAll(() => t.close());

const PASSWORD = 'un-mot-de-passe-solide-2026';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const meWith = (headers: Record<string, string>) => t.app.inject({ url: '/api/v1/me', headers });

/** A fresh account (so that a test changing its credentials leaves the demo accounts alone). */
async function newAccount(email: string, role = 'commune', extra: Record<string, unknown> = { commune_insee: '30189' }) {
  const res = await admin.post('/api/v1/users', { email, nom: `Compte ${email}`, role, password: PASSWORD, ...extra });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

async function tokenOf(c: Client, nom = 'Script') {
  const res = await c.post('/api/v1/tokens', { nom });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string; token: string; expires_at: string | null }>();
}

describe('finding 2: behind a proxy, the per-address login limit holds', () => {
  // Apps configured as behind a proxy, on the same database as `t` (another copy would cost
  // minutes on a loaded machine); their test addresses are their own, so `t`'s sign-ins are unaffected.
  let oneHop: FastifyInstance;
  let listed: FastifyInstance;
  const behind = (TRUST_PROXY: string, maxFailures = t.config.login.maxFailures): Config => ({
    ...t.config,
    trustProxy: loadConfig({ ATELIER_DATA_DIR: 'memory://', SESSION_SECRET: t.config.sessionSecret, TRUST_PROXY }).trustProxy,
    login: { ...t.config.login, maxFailures },
  });
  beforeAll(async () => {
    oneHop = await buildApp(t.database, behind('1', 3), { logger: false, webRoot: null });
    listed = await buildApp(t.database, behind('10.0.0.1, 10.1.0.0/16'), { logger: false, webRoot: null });
  });
  afterAll(async () => {
    await oneHop?.close();
    await listed?.close();
  });

  it('TRUST_PROXY=1 trusts one hop: a client-written X-Forwarded-For does not reset the per-address count', { timeout: 120_000 }, async () => {
    // Per-address limit: 10 × LOGIN_MAX_FAILURES = 30 failures; one unknown account per try, so
    // that the per-e-mail limit never trips.
    const statuses: number[] = [];
    for (let n = 1; n <= 31; n++) {
      const res = await oneHop.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `sonde-${n}@exemple.test`, password: 'mauvais-mot-de-passe' },
        headers: { 'x-forwarded-for': `203.0.113.${n}, 127.0.0.2` },
        remoteAddress: '127.0.0.2',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('TRUST_PROXY as a list of proxy addresses: the client is the first address not in the list', async () => {
    const res = await listed.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'sonde@exemple.test', password: 'mauvais-mot-de-passe' },
      headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.7, 10.1.2.3' },
      remoteAddress: '10.0.0.1',
    });
    expect(res.statusCode).toBe(401);
    const keys = (await rows<{ key: string }>(t.database.db, sql`SELECT key FROM rate_limits WHERE key LIKE 'login:ip:%'`)).map((k) => k.key);
    expect(keys).toContain('login:ip:198.51.100.7');
    for (const other of ['203.0.113.9', '10.1.2.3', '10.0.0.1']) expect(keys).not.toContain(`login:ip:${other}`);
  });
});

describe('finding 3: a password reset ends the other sessions and revokes the tokens', () => {
  it('an admin reset (PATCH /users/{id} with a password): the old cookie and token answer 401', async () => {
    const email = 'reinitialise@exemple.test';
    const id = await newAccount(email);
    const victim = await signIn(t.app, email, PASSWORD);
    const { token } = await tokenOf(victim);
    expect((await victim.get('/api/v1/me')).statusCode).toBe(200);

    expect((await admin.patch(`/api/v1/users/${id}`, { password: 'nouveau-mot-de-passe-2026' })).statusCode).toBe(200);
    expect((await victim.get('/api/v1/me')).statusCode).toBe(401);
    expect((await meWith(bearer(token))).statusCode).toBe(401);
    // The new password works; the admin's own session is untouched.
    await signIn(t.app, email, 'nouveau-mot-de-passe-2026');
    expect((await admin.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('a user changing their own password keeps the current session and ends the others', async () => {
    const email = 'admin-second@exemple.test';
    const id = await newAccount(email, 'admin', {});
    const [current, other] = [await signIn(t.app, email, PASSWORD), await signIn(t.app, email, PASSWORD)];
    const { token } = await tokenOf(current);
    expect((await current.patch(`/api/v1/users/${id}`, { password: 'mon-nouveau-mot-de-passe' })).statusCode).toBe(200);
    expect((await current.get('/api/v1/me')).statusCode).toBe(200);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    expect((await meWith(bearer(token))).statusCode).toBe(401);
  });
});

describe('finding 4: only the State (and an admin) changes an operation’s landlord', () => {
  let operationId: string;
  let premier: string;
  let second: string;
  let bailleur: Client;

  beforeAll(async () => {
    bailleur = await signIn(t.app, DEMO.bailleur);
    const created = await bailleur.post('/api/v1/operations', { nom: 'Résidence du Transfert', commune_insee: '30060', type: 'construction_neuve', logements: { plus: 4 } });
    expect(created.statusCode).toBe(201);
    operationId = created.json().id;
    premier = created.json().bailleur.id;
    const orgs = (await admin.get('/api/v1/organisations?type=bailleur')).json<{ results: { id: string; nom: string }[] }>().results;
    second = orgs.find((o) => /second/i.test(o.nom))!.id;
  });

  it('a commune (Caissargues) or an EPCI gets 422 naming bailleur_id; the landlord keeps its operation', async () => {
    const [commune, epci] = await signInMany(t.app, [DEMO.commune, DEMO.agentEpci]);
    for (const c of [commune, epci]) {
      const res = await c.patch(`/api/v1/operations/${operationId}`, { bailleur_id: second });
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toMatch(/bailleur_id : seuls l’État et un administrateur/);
    }
    expect((await bailleur.get(`/api/v1/operations/${operationId}`)).json().bailleur.id).toBe(premier);
    expect((await signIn(t.app, DEMO.bailleur2).then((b) => b.get(`/api/v1/operations/${operationId}`))).statusCode).toBe(404);
    // Other fields stay editable by the commune.
    expect((await commune.patch(`/api/v1/operations/${operationId}`, { nom: 'Résidence du Transfert (commune)' })).statusCode).toBe(200);
  });

  it('the State changes it, with an audit entry naming both landlords', async () => {
    const res = await etat.patch(`/api/v1/operations/${operationId}`, { bailleur_id: second });
    expect(res.statusCode).toBe(200);
    expect((await bailleur.get(`/api/v1/operations/${operationId}`)).statusCode).toBe(404);
    const audit = (await admin.get(`/api/v1/audit?entity_type=operation&entity_id=${operationId}`)).json<{ results: { action: string; before: unknown; after: unknown }[] }>();
    const entry = audit.results.find((e) => e.action === 'changement_bailleur');
    expect(entry).toMatchObject({ before: { bailleur_id: premier }, after: { bailleur_id: second } });
    // And back, by an admin.
    expect((await admin.patch(`/api/v1/operations/${operationId}`, { bailleur_id: premier })).statusCode).toBe(200);
  });
});

describe('finding 5: deactivating an account deletes its credentials', () => {
  it('reactivation does not revive the old cookie nor the old token', async () => {
    const email = 'desactive@exemple.test';
    const id = await newAccount(email);
    const user = await signIn(t.app, email, PASSWORD);
    const { token, id: tokenId } = await tokenOf(user);
    expect((await admin.patch(`/api/v1/users/${id}`, { actif: false })).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/users/${id}`, { actif: true })).statusCode).toBe(200);
    expect((await user.get('/api/v1/me')).statusCode).toBe(401);
    expect((await meWith(bearer(token))).statusCode).toBe(401);
    const left = await rows<{ sessions: number; revoked: boolean }>(
      t.database.db,
      sql`SELECT (SELECT count(*)::int FROM sessions WHERE user_id = ${id}::uuid) AS sessions,
                 (SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = ${tokenId}::uuid) AS revoked`,
    );
    expect(left[0]).toEqual({ sessions: 0, revoked: true });
    // Signing in again works.
    await signIn(t.app, email, PASSWORD);
  });
});

describe('finding 6: a financer cannot learn that another financer’s draft exists', () => {
  it('creating an aid with the slug of another’s draft gets a free slug, and the draft stays hidden', async () => {
    const org = await admin.post('/api/v1/organisations', { type: 'financeur', nom: 'Second financeur (essai)', departement: '30' });
    expect(org.statusCode).toBe(201);
    await newAccount('financeur-second@exemple.test', 'financeur', { organisation_id: org.json().id });
    const [premier, second] = [await signIn(t.app, DEMO.financeur), await signIn(t.app, 'financeur-second@exemple.test', PASSWORD)];
    const aide = (name: string) => ({
      slug: 'aide-brouillon-confidentiel',
      name,
      aid_types: ['Subvention'],
      targeted_audiences: ['social-landlord'],
      perimeter: { scale: 'Département', code: '30', name: 'Gard' },
      description: 'Aide de démonstration, brouillon.',
    });
    const draft = await premier.post('/api/v1/aides', aide('Projet confidentiel du premier financeur'));
    expect(draft.statusCode).toBe(201);
    expect(draft.json().slug).toBe('aide-brouillon-confidentiel');

    const clash = await second.post('/api/v1/aides', aide('Aide du second financeur'));
    expect(clash.statusCode).toBe(201);
    expect(clash.json().slug).not.toBe('aide-brouillon-confidentiel');
    expect(clash.json().slug).toMatch(/^aide-brouillon-confidentiel-/);
    expect(clash.body).not.toContain('Projet confidentiel');
    expect((await second.get('/api/v1/aides/aide-brouillon-confidentiel')).statusCode).toBe(404);
    // Each financer edits its own aid under its slug.
    expect((await second.get(`/api/v1/aides/${clash.json().slug}`)).json().name).toBe('Aide du second financeur');
    expect((await premier.get('/api/v1/aides/aide-brouillon-confidentiel')).json().name).toBe('Projet confidentiel du premier financeur');
  });
});

describe('finding 7: logout needs the CSRF token', () => {
  it('a logout without x-csrf-token is refused and the session lives on; with it, the session ends', async () => {
    const c = await signIn(t.app, DEMO.bailleur2);
    const forged = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: c.cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toBe('csrf');
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    // Without a session there is nothing to protect: 204, as before.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
  });
});

describe('finding 8: a click is bound to a recent search and rate-limited per address', () => {
  const clic = (slug: string, body: unknown, remoteAddress = '192.0.2.10') =>
    t.app.inject({ method: 'POST', url: `/api/v1/aides/${slug}/clic`, payload: body as object, remoteAddress });
  const clics = async (slug: string) => (await rows<{ clics: number }>(t.database.db, sql`SELECT clics FROM aides WHERE slug = ${slug}`))[0]!.clics;

  async function search(q: string) {
    const r = (await t.app.inject(`/api/v1/aides?q=${encodeURIComponent(q)}`)).json<{ recherche_id: number; count: number; results: { slug: string }[] }>();
    await journalRecherches(t.database.db).vider();
    return r;
  }

  it('refuses a missing, unknown, old or empty search with a French 4xx and counts nothing', async () => {
    const found = await search('logement social');
    const slug = found.results[0]!.slug;
    const before = await clics(slug);
    expect((await clic(slug, {})).statusCode).toBe(400);
    const unknown = await clic(slug, { recherche_id: 987654321 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().message).toMatch(/recherche_id : aucune recherche récente/);

    const empty = await search('zorglubinette quintessentielle');
    expect(empty.count).toBe(0);
    expect((await clic(slug, { recherche_id: empty.recherche_id })).statusCode).toBe(422);

    const old = await search('logement social');
    await t.database.db.execute(sql`UPDATE aides_recherches SET at = now() - interval '2 hours' WHERE id = ${old.recherche_id}`);
    const late = await clic(slug, { recherche_id: old.recherche_id });
    expect(late.statusCode).toBe(422);
    // The same message whatever the reason: the answer tells no more than needed.
    expect(late.json().message).toBe(unknown.json().message);
    expect(await clics(slug)).toBe(before);

    expect((await clic(slug, { recherche_id: found.recherche_id })).statusCode).toBe(204);
    expect(await clics(slug)).toBe(before + 1);
  });

  it('answers 429 past the per-address limit, without counting', async () => {
    const found = await search('logement social');
    const slug = found.results[0]!.slug;
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await clic(slug, { recherche_id: found.recherche_id }, '192.0.2.99')).statusCode);
    expect(statuses.every((s) => s === 204)).toBe(true);
    const counted = await clics(slug);
    const refused = await clic(slug, { recherche_id: found.recherche_id }, '192.0.2.99');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().message).toMatch(/Trop de clics/);
    expect(await clics(slug)).toBe(counted);
    // Another address is not affected.
    expect((await clic(slug, { recherche_id: found.recherche_id }, '192.0.2.100')).statusCode).toBe(204);
  });
});

describe('finding 9: tokens are minted from a session only, and expire', () => {
  it('a Bearer token cannot create a token (403, French)', async () => {
    const c = await signIn(t.app, DEMO.agentEpci);
    const { token } = await tokenOf(c);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { nom: 'Rebond' }, headers: bearer(token) });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/session/);
    // Listing and revoking with a token still work.
    expect((await t.app.inject({ url: '/api/v1/tokens', headers: bearer(token) })).statusCode).toBe(200);
  });

  it('a token expires after 90 days by default, after the chosen number of days up to 365', async () => {
    const c = await signIn(t.app, DEMO.commune);
    const days = (iso: string | null) => (iso ? (new Date(iso).getTime() - Date.now()) / 86_400_000 : Infinity);
    expect(days((await tokenOf(c)).expires_at)).toBeCloseTo(90, 1);
    const year = await c.post('/api/v1/tokens', { nom: 'Un an', expires_in_days: 365 });
    expect(days(year.json().expires_at)).toBeCloseTo(365, 1);
    const tooLong = await c.post('/api/v1/tokens', { nom: 'Trop long', expires_in_days: 366 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toMatch(/365 jours/);
    const listed = (await c.get('/api/v1/tokens')).json<{ results: { expires_at: string | null }[] }>().results;
    expect(listed.every((x) => x.expires_at !== null)).toBe(true);
  });

  it('an expired token answers 401, and so does an old token created without expiry', async () => {
    const c = await signIn(t.app, DEMO.agentEtat);
    const expired = await tokenOf(c, 'Expiré');
    await t.database.db.execute(sql`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = ${expired.id}::uuid`);
    const res = await meWith(bearer(expired.token));
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/expiré/);

    const legacy = await tokenOf(c, 'Ancien sans expiration');
    await t.database.db.execute(sql`UPDATE api_tokens SET expires_at = NULL, created_at = now() - interval '366 days' WHERE id = ${legacy.id}::uuid`);
    expect((await meWith(bearer(legacy.token))).statusCode).toBe(401);
    const shown = (await c.get('/api/v1/tokens')).json<{ results: { id: string; expires_at: string | null }[] }>().results.find((x) => x.id === legacy.id)!;
    expect(new Date(shown.expires_at!).getTime()).toBeLessThan(Date.now());
  });
});
