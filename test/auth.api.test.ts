import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../server/db/client.js';
import { createTestApp, DEMO, signIn, type TestContext } from './helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3' });
});
afterAll(() => t.close());

const login = (email: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

describe('password sign-in', () => {
  it('opens a session in an HttpOnly, SameSite cookie and /me shows role, organisation and scope', async () => {
    const res = await login(DEMO.commune, 'demo-atelier-2026');
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'atelier_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/');
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `atelier_session=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email: DEMO.commune,
      role: 'commune',
      organisation: { type: 'commune' },
      scope: { type: 'commune', code: '30060', nom: 'Caissargues' },
    });
  });

  it('answers 401 without a session, and on bad credentials without telling which was wrong', async () => {
    expect((await t.app.inject('/api/v1/me')).statusCode).toBe(401);
    const wrongPassword = await login(DEMO.agentEtat, 'mauvais-mot-de-passe', '10.0.0.2');
    const unknownUser = await login('personne@demo.test', 'mauvais-mot-de-passe', '10.0.0.2');
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.json().message).toBe(unknownUser.json().message);
  });

  it('rejects malformed input with a French message naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'pas-un-email', password: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/email/);
    expect(res.json().message).toMatch(/Adresse électronique invalide/);
  });

  it('answers 429 after repeated failures, even with the right password, for that e-mail', async () => {
    for (let i = 0; i < 3; i++) expect((await login(DEMO.epf, 'faux', '10.0.0.3')).statusCode).toBe(401);
    const blocked = await login(DEMO.epf, 'demo-atelier-2026', '10.0.0.3');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().message).toMatch(/Trop de tentatives/);
    // Counters live in the database (shared by every instance), not in this process.
    const r = await rows<{ hits: number }>(t.database.db, sql`SELECT hits FROM rate_limits WHERE key = ${`login:email:${DEMO.epf}`}`);
    expect(r[0]?.hits).toBe(3);
    // Another account from another address is not affected.
    expect((await login(DEMO.financeur, 'demo-atelier-2026', '10.0.0.4')).statusCode).toBe(200);
  });

  it('logs out: the session is deleted server-side', async () => {
    const c = await signIn(t.app, DEMO.bailleur);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    const out = await c.post('/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('refuses a forged (unsigned) session cookie', async () => {
    const res = await t.app.inject({ url: '/api/v1/me', headers: { cookie: 'atelier_session=forged-value' } });
    expect(res.statusCode).toBe(401);
  });

  it('a deactivated account loses its sessions at once', async () => {
    const admin = await signIn(t.app, DEMO.admin);
    const victim = await signIn(t.app, DEMO.bailleur2);
    const me = (await victim.get('/api/v1/me')).json<{ id: string }>();
    expect((await admin.patch(`/api/v1/users/${me.id}`, { actif: false })).statusCode).toBe(200);
    expect((await victim.get('/api/v1/me')).statusCode).toBe(401);
    expect((await login(DEMO.bailleur2, 'demo-atelier-2026', '10.0.0.9')).statusCode).toBe(401);
    expect((await admin.patch(`/api/v1/users/${me.id}`, { actif: true })).statusCode).toBe(200);
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  it('gives the token at /auth/csrf and refuses a write without it', async () => {
    const c = await signIn(t.app, DEMO.agentEpci);
    const csrf = await c.get('/api/v1/auth/csrf');
    expect(csrf.json()).toEqual({ token: c.csrf });
    const without = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { nom: 'x' }, headers: { cookie: c.cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error).toBe('csrf');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { nom: 'x' }, headers: { cookie: c.cookie, 'x-csrf-token': 'nope' } });
    expect(wrong.statusCode).toBe(403);
    expect((await c.post('/api/v1/tokens', { nom: 'x' })).statusCode).toBe(201);
  });

  it('is 401 for anonymous callers', async () => {
    expect((await t.app.inject('/api/v1/auth/csrf')).statusCode).toBe(401);
  });
});

describe('personal API tokens (Bearer)', () => {
  it('work wherever a session does, need no CSRF token, and stop working once revoked', async () => {
    const c = await signIn(t.app, DEMO.agentEtat);
    const created = await c.post('/api/v1/tokens', { nom: 'Script de suivi', expires_in_days: 30 });
    expect(created.statusCode).toBe(201);
    const { token, id, prefixe } = created.json<{ token: string; id: string; prefixe: string }>();
    expect(token.startsWith(prefixe)).toBe(true);
    const bearer = { authorization: `Bearer ${token}` };
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer });
    expect(me.json()).toMatchObject({ email: DEMO.agentEtat, role: 'agent_etat' });
    // A write with the token, without any CSRF header (a token cannot create tokens, but revokes them).
    const second = (await c.post('/api/v1/tokens', { nom: 'Autre' })).json<{ id: string }>();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${second.id}`, headers: bearer })).statusCode).toBe(204);
    // The clear token is never listed nor stored.
    const list = await c.get('/api/v1/tokens');
    expect(JSON.stringify(list.json())).not.toContain(token);
    const stored = await rows<{ token_hash: string }>(t.database.db, sql`SELECT token_hash FROM api_tokens WHERE id = ${id}`);
    expect(stored[0]!.token_hash).not.toContain(token);

    expect((await c.delete(`/api/v1/tokens/${id}`)).statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/v1/me', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toMatch(/révoqué/);
  });

  it("cannot revoke another user's token (404), and rejects a bad id or payload", async () => {
    const a = await signIn(t.app, DEMO.financeur);
    const b = await signIn(t.app, DEMO.commune);
    const { id } = (await a.post('/api/v1/tokens', { nom: 'A' })).json<{ id: string }>();
    expect((await b.delete(`/api/v1/tokens/${id}`)).statusCode).toBe(404);
    expect((await b.delete('/api/v1/tokens/pas-un-uuid')).statusCode).toBe(400);
    expect((await b.post('/api/v1/tokens', { nom: '' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tokens' })).statusCode).toBe(401);
  });

  it('an unknown Bearer token is refused, not treated as anonymous', async () => {
    const res = await t.app.inject({ url: '/api/v1/communes', headers: { authorization: 'Bearer atl_inconnu' } });
    expect(res.statusCode).toBe(401);
  });
});
