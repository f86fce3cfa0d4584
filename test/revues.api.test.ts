import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueEmails } from '../server/modules/mail/outbox.js';
import { createTestApp, DEMO, signIn, signInMany, type Client, type TestContext } from './helpers.js';
import { startSmtpSink } from './smtp-sink.js';

let t: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let bailleur: Client;
let etat: Client;
let epci: Client;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://atelier.example.fr' });
  [bailleur, etat, epci] = await signInMany(t.app, [DEMO.bailleur, DEMO.agentEtat, DEMO.agentEpci]);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('project reviews: the journey of the roadmap’s solution 1', () => {
  let operationId: string;
  let calmeId: string;
  let revueId: string;

  it('a landlord declares a blocker; the State agent schedules the EPCI review; the agenda holds the operation in difficulty', async () => {
    operationId = (await bailleur.post('/api/v1/operations', { nom: 'Les Terrasses du Vistre', commune_insee: '30060', type: 'vefa' })).json().id;
    calmeId = (await bailleur.post('/api/v1/operations', { nom: 'Opération sans souci', commune_insee: '30060', type: 'vefa' })).json().id;
    expect((await bailleur.post(`/api/v1/operations/${operationId}/blocages`, { type: 'financement', description: 'Surcoût de 12 % après appel d’offres' })).statusCode).toBe(201);

    const res = await etat.post('/api/v1/revues', {
      epci_siren: '243000643',
      date: '2026-01-13T09:30:00+01:00',
      lieu: 'DDTM du Gard, Nîmes',
      participants: [{ email: 'chargee.habitat@nimes-metropole.example', nom: 'Chargée habitat' }, { email: 'direction@bailleur.example' }],
    });
    expect(res.statusCode).toBe(201);
    const revue = res.json();
    revueId = revue.id;
    expect(revue).toMatchObject({ epci: { siren: '243000643', nom: 'CA de Nîmes Métropole' }, statut: 'planifiee', lieu: 'DDTM du Gard, Nîmes' });
    const ids = revue.points.map((p: { operation: { id: string } }) => p.operation.id);
    expect(ids).toContain(operationId);
    expect(ids).not.toContain(calmeId);
    expect(revue.points.find((p: { operation: { id: string } }) => p.operation.id === operationId)).toMatchObject({ origine: 'en_difficulte', blocages_ouverts: [{ type: 'financement' }] });
  });

  it('invites the participants by e-mail, with an iCalendar invitation, through the database outbox', async () => {
    expect(smtp.messages).toHaveLength(0);
    const sent = await deliverDueEmails(t.database.db, t.config);
    expect(sent).toBe(2);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['chargee.habitat@nimes-metropole.example', 'direction@bailleur.example']);
    const raw = smtp.messages[0]!.raw;
    expect(raw).toMatch(/Subject: =\?UTF-8\?|Subject: Invitation/);
    expect(raw).toContain('text/calendar');
    expect(raw).toContain('BEGIN:VEVENT');
    expect(raw).toContain(`https://atelier.example.fr/revues/${revueId}`);
    // Nothing is sent twice.
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(0);
  });

  it('the EPCI adds another operation of its territory; not one outside it', async () => {
    const res = await epci.post(`/api/v1/revues/${revueId}/points`, { operation_id: calmeId });
    expect(res.statusCode).toBe(201);
    expect(res.json().points.map((p: { origine: string }) => p.origine)).toContain('ajout');
    expect((await epci.post(`/api/v1/revues/${revueId}/points`, { operation_id: calmeId })).statusCode).toBe(422);
    const admin = await signIn(t.app, DEMO.admin);
    const orgs = (await admin.get('/api/v1/organisations?type=bailleur')).json().results;
    const ales = (await admin.post('/api/v1/operations', { nom: 'À Alès', commune_insee: '30007', type: 'vefa', bailleur_id: orgs[0].id })).json().id;
    const outside = await epci.post(`/api/v1/revues/${revueId}/points`, { operation_id: ales });
    expect(outside.statusCode).toBe(422);
    expect((await epci.post(`/api/v1/revues/${revueId}/points/00000000-0000-4000-8000-000000000000/escalade`, { motif: 'x' })).statusCode).toBe(403);
  });

  it('the State agent records the situation and a decision, decides an action, and escalates to the préfet', async () => {
    const revue = (await etat.get(`/api/v1/revues/${revueId}`)).json();
    const point = revue.points.find((p: { operation: { id: string } }) => p.operation.id === operationId);
    const rec = await etat.patch(`/api/v1/revues/${revueId}/points/${point.id}`, { situation: 'Équilibre impossible sans aide complémentaire', decisions: 'Saisir la commune pour une subvention' });
    expect(rec.statusCode).toBe(200);
    const action = await etat.post(`/api/v1/revues/${revueId}/points/${point.id}/actions`, { libelle: 'Délibération communale de subvention', responsable: 'Commune de Caissargues', echeance: '2026-03-31' });
    expect(action.statusCode).toBe(201);
    expect(action.json()).toMatchObject({ statut: 'ouverte', responsable: 'Commune de Caissargues' });
    expect((await etat.post(`/api/v1/revues/${revueId}/points/${point.id}/actions`, { libelle: 'x', responsable: 'y', echeance: '31/03/2026' })).statusCode).toBe(400);
    const esc = await etat.post(`/api/v1/revues/${revueId}/points/${point.id}/escalade`, { motif: 'Désaccord persistant sur la participation communale' });
    expect(esc.statusCode).toBe(200);
    expect(esc.json().points.find((p: { id: string }) => p.id === point.id).escalade).toMatchObject({ motif: 'Désaccord persistant sur la participation communale', arbitrage: null });
    expect((await etat.post(`/api/v1/revues/${revueId}/points/${point.id}/escalade`, { motif: 'encore' })).statusCode).toBe(422);
    const arb = await etat.post(`/api/v1/revues/${revueId}/points/${point.id}/arbitrage`, { decision: 'Le préfet mobilise le FNAP à titre exceptionnel', date: '2026-02-10' });
    expect(arb.json().points.find((p: { id: string }) => p.id === point.id).escalade).toMatchObject({ arbitrage: 'Le préfet mobilise le FNAP à titre exceptionnel', arbitrage_le: '2026-02-10' });
    // The operation's timeline tells the story.
    const events = (await bailleur.get(`/api/v1/operations/${operationId}/evenements`)).json().results.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['blocage_ouvert', 'revue_decision', 'revue_action', 'escalade', 'arbitrage']));
  });

  it('the EPCI sees the action; open actions come back on the next review’s agenda until closed', async () => {
    const seen = (await epci.get(`/api/v1/revues/${revueId}`)).json();
    const action = seen.points.flatMap((p: { actions: { id: string; libelle: string }[] }) => p.actions).find((a: { libelle: string }) => a.libelle.startsWith('Délibération'));
    expect(action).toBeDefined();
    expect((await etat.patch(`/api/v1/revues/${revueId}`, { statut: 'tenue' })).statusCode).toBe(200);
    // The blocker is lifted: only the open action keeps the operation on the next agenda.
    const op = (await bailleur.get(`/api/v1/operations/${operationId}`)).json();
    await bailleur.patch(`/api/v1/operations/${operationId}/blocages/${op.blocages[0].id}`, { statut: 'leve' });
    const next = (await etat.post('/api/v1/revues', { epci_siren: '243000643', date: '2026-05-12T09:30:00+02:00' })).json();
    const item = next.points.find((p: { operation: { id: string } }) => p.operation.id === operationId);
    expect(item).toMatchObject({ origine: 'actions_en_cours' });
    expect(item.actions.map((a: { id: string }) => a.id)).toContain(action.id);
    const closed = await epci.patch(`/api/v1/revues/actions/${action.id}`, { statut: 'close', close_le: '2026-03-20' });
    expect(closed.json()).toMatchObject({ statut: 'close', close_le: '2026-03-20' });
    const third = (await etat.post('/api/v1/revues', { epci_siren: '243000643', date: '2026-09-15T09:30:00+02:00' })).json();
    expect(third.points.map((p: { operation: { id: string } }) => p.operation.id)).not.toContain(operationId);
  });

  it('exports the agenda and the minutes as PDF and DOCX, and the CDHH report as HTML, PDF and DOCX', async () => {
    const pdf = await epci.get(`/api/v1/revues/${revueId}/ordre-du-jour.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.subarray(-6).toString()).toMatch(/%%EOF/);
    const docx = await etat.get(`/api/v1/revues/${revueId}/compte-rendu.docx`);
    expect(docx.headers['content-type']).toMatch(/wordprocessingml/);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Les Terrasses du Vistre');
    expect(xml).toContain('Saisir la commune pour une subvention');
    expect(xml).toContain('Délibération communale de subvention');
    expect(xml).toContain('Le préfet mobilise le FNAP à titre exceptionnel');
    const agenda = await (await JSZip.loadAsync((await etat.get(`/api/v1/revues/${revueId}/ordre-du-jour.docx`)).rawPayload)).file('word/document.xml')!.async('string');
    expect(agenda).toContain('Ordre du jour');
    expect(agenda).toContain('opération en difficulté');

    const html = await etat.get('/api/v1/rapports/cdhh/2026.html');
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('Rapport annuel au CDHH — 2026');
    expect(html.body).toContain('CA de Nîmes Métropole — étapes franchies en 2026');
    expect(html.body).toContain('<svg');
    expect(html.body).toContain('Désaccord persistant sur la participation communale');
    expect(html.body).toContain('Le préfet mobilise le FNAP à titre exceptionnel');
    expect(html.body).not.toContain('<script');
    const reportPdf = await etat.get('/api/v1/rapports/cdhh/2026.pdf');
    expect(reportPdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const reportDocx = await (await JSZip.loadAsync((await etat.get('/api/v1/rapports/cdhh/2026.docx')).rawPayload)).file('word/document.xml')!.async('string');
    expect(reportDocx).toContain('Nombre de projets qui aboutissent');
    expect((await epci.get('/api/v1/rapports/cdhh/2026.html')).statusCode).toBe(403);
    expect((await etat.get('/api/v1/rapports/cdhh/2026.odt')).statusCode).toBe(400);
  });

  it('keeps reviews within scope: other EPCI and roles get 404 or 403; bad input is 400/422', async () => {
    const commune = await signIn(t.app, DEMO.commune);
    expect((await commune.get('/api/v1/revues')).statusCode).toBe(403);
    expect((await bailleur.get(`/api/v1/revues/${revueId}`)).statusCode).toBe(403);
    expect((await t.app.inject('/api/v1/revues')).statusCode).toBe(401);
    const admin = await signIn(t.app, DEMO.admin);
    await admin.post('/api/v1/users', { email: 'agent.ales@example.fr', nom: 'Agent Alès', role: 'agent_epci', epci_siren: '200066918', password: 'mot-de-passe-ales-2026' });
    const ales = await signIn(t.app, 'agent.ales@example.fr', 'mot-de-passe-ales-2026');
    expect((await ales.get(`/api/v1/revues/${revueId}`)).statusCode).toBe(404);
    expect((await ales.get('/api/v1/revues')).json().count).toBe(0);
    expect((await epci.post('/api/v1/revues', { epci_siren: '243000643', date: '2026-01-13T09:30:00+01:00' })).statusCode).toBe(403);
    expect((await etat.post('/api/v1/revues', { epci_siren: '243000643', date: 'mardi prochain' })).statusCode).toBe(400);
    expect((await etat.post('/api/v1/revues', { epci_siren: '200054781', date: '2026-01-13T09:30:00+01:00' })).statusCode).toBe(422);
    const list = (await etat.get('/api/v1/revues?annee=2026')).json();
    expect(list.count).toBe(3);
    expect(list.results[list.results.length - 1]).toMatchObject({ epci_siren: '243000643', statut: 'tenue', escalades: 1 });
  });
});

describe('planning a year’s cycle of reviews in one step', () => {
  it('creates the three reviews of an EPCI at once, the earliest with its agenda, and invites to each', async () => {
    const before = smtp.messages.length;
    const res = await etat.post('/api/v1/revues/cycle', {
      epci_siren: '200066918', // CA Alès Agglomération
      dates: ['2027-10-12T09:30:00+02:00', '2027-02-09T09:30:00+01:00', '2027-06-08T09:30:00+02:00'],
      lieu: 'Sous-préfecture d’Alès',
      participants: [{ email: 'habitat@ales-agglo.example' }],
    });
    expect(res.statusCode).toBe(201);
    const cycle = res.json();
    expect(cycle.count).toBe(3);
    // In date order, all for Alès Agglomération, all planned.
    expect(cycle.results.map((r: { date: string }) => new Date(r.date).toISOString().slice(0, 7))).toEqual(['2027-02', '2027-06', '2027-10']);
    expect(cycle.results.every((r: { epci: { siren: string }; statut: string; lieu: string }) => r.epci.siren === '200066918' && r.statut === 'planifiee' && r.lieu === 'Sous-préfecture d’Alès')).toBe(true);
    expect(cycle.results[1].points).toEqual([]);
    expect((await etat.get('/api/v1/revues?annee=2027&epci=200066918')).json().count).toBe(3);
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(3);
    expect(smtp.messages.slice(before).every((m) => m.to[0] === 'habitat@ales-agglo.example' && m.raw.includes('BEGIN:VEVENT'))).toBe(true);
    const audit = (await (await signIn(t.app, DEMO.admin)).get('/api/v1/audit?limit=10')).json().results;
    const ids = cycle.results.map((r: { id: string }) => r.id).sort();
    expect(audit.filter((e: { entity_type: string; action: string; entity_id: string }) => e.entity_type === 'revue' && e.action === 'creation' && ids.includes(e.entity_id)).map((e: { entity_id: string }) => e.entity_id).sort()).toEqual(ids);
  });

  it('refuses the whole cycle on one bad date, a date given twice, or an EPCI out of scope; nothing is created', async () => {
    const count = async () => (await etat.get('/api/v1/revues?annee=2028')).json().count;
    expect((await etat.post('/api/v1/revues/cycle', { epci_siren: '243000643', dates: ['2028-02-08T09:30:00+01:00', 'juin'] })).statusCode).toBe(400);
    const twice = await etat.post('/api/v1/revues/cycle', { epci_siren: '243000643', dates: ['2028-02-08T09:30:00+01:00', '2028-02-08T09:30:00+01:00'] });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().message).toMatch(/deux fois/);
    expect((await etat.post('/api/v1/revues/cycle', { epci_siren: '200054781', dates: ['2028-02-08T09:30:00+01:00'] })).statusCode).toBe(422);
    expect((await etat.post('/api/v1/revues/cycle', { epci_siren: '243000643', dates: [] })).statusCode).toBe(400);
    expect((await epci.post('/api/v1/revues/cycle', { epci_siren: '243000643', dates: ['2028-02-08T09:30:00+01:00'] })).statusCode).toBe(403);
    expect(await count()).toBe(0);
  });
});
