import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, signIn, type TestContext } from './helpers.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('audit log', () => {
  it('records the reference data load and the demo set-up under an explicit system identity', async () => {
    const admin = await signIn(t.app, DEMO.admin);
    const res = (await admin.get('/api/v1/audit?entity_type=departement')).json();
    expect(res.results[0]).toMatchObject({ action: 'chargement_referentiel', entity_id: '30', actor_label: 'système (chargement du référentiel)' });
    expect(res.results[0].after).toMatchObject({ communes: 350, epci: 17 });
  });

  it('is readable by administrators and State agents (their département), not by others', async () => {
    expect((await t.app.inject('/api/v1/audit')).statusCode).toBe(401);
    for (const email of [DEMO.agentEpci, DEMO.commune, DEMO.bailleur, DEMO.financeur, DEMO.epf]) {
      expect((await (await signIn(t.app, email)).get('/api/v1/audit')).statusCode).toBe(403);
    }
    const etat = await signIn(t.app, DEMO.agentEtat);
    const page = (await etat.get('/api/v1/audit?limit=500')).json<{ results: { departement: string | null }[] }>();
    expect(page.results.length).toBeGreaterThan(0);
    expect(page.results.every((e) => e.departement === '30')).toBe(true);
  });

  it('pages with a keyset cursor', async () => {
    const admin = await signIn(t.app, DEMO.admin);
    const first = (await admin.get('/api/v1/audit?limit=2')).json<{ results: { id: number }[]; next_before: number }>();
    expect(first.results).toHaveLength(2);
    const second = (await admin.get(`/api/v1/audit?limit=2&before=${first.next_before}`)).json<{ results: { id: number }[] }>();
    expect(second.results[0]!.id).toBeLessThan(first.results[1]!.id + 1);
    expect((await admin.get('/api/v1/audit?limit=0')).statusCode).toBe(400);
  });

  it('is append-only: the database refuses updates and deletes', async () => {
    await expect(t.database.db.execute(sql`UPDATE audit_log SET action = 'x'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
  });
});
