/**
 * Attributions (issue 14): CALEOL sittings and the calendar feed (parsed back with a real
 * iCalendar parser, ical.js), notices through the SMTP sink, attendance, vacated dwellings (scope,
 * statuses, CSV, import) and the privacy rule (nothing stored, nothing logged), deliveries ahead.
 * Every record is made here by the factories, in the Gard.
 */
import { Writable } from 'node:stream';
import ICAL from 'ical.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { rows } from '../server/db/client.js';
import { envoyerAvisLivraisons } from '../server/modules/attributions/livraisons.avis.js';
import { deliverDueEmails } from '../server/modules/mail/outbox.js';
import { createOperationIn, createOrganisation, createUser } from './factories.js';
import { multipartBody, openTestDatabase, type Client, type TestContext } from './helpers.js';
import { startSmtpSink } from './smtp-sink.js';

let t: TestContext;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
/** Every log line the application wrote (level trace). */
const journal: string[] = [];

const NIMES = '30189';
const ALES = '30007';
const UZES = '30334';
let bailleurOrg: string;
let bailleur: Client & { id: string };
let autreBailleur: Client & { id: string };
let nimes: Client & { id: string };
let ales: Client & { id: string };
let uzes: Client & { id: string };
let epciNimes: Client & { id: string };
let etat: Client & { id: string };

beforeAll(async () => {
  smtp = await startSmtpSink();
  const { database, drop } = await openTestDatabase();
  const config = loadConfig({
    ATELIER_DEPARTEMENTS: '30',
    SESSION_SECRET: 'test-secret-'.padEnd(48, 'x'),
    LOG_LEVEL: 'trace',
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://atelier.example.fr',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : { ATELIER_DATA_DIR: 'memory://' }),
  });
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      journal.push(String(chunk));
      cb();
    },
  });
  const app = await buildApp(database, config, { webRoot: null, logStream });
  await app.ready();
  t = { app, database, config, close: async () => { await app.close(); await database.close(); await drop(); } };
  bailleurOrg = await createOrganisation(t, { type: 'bailleur', departement: '30', nom: 'Habitat du Gard (tests)' });
  const autreOrg = await createOrganisation(t, { type: 'bailleur', departement: '30', nom: 'Autre bailleur (tests)' });
  const [e] = await rows<{ epci_siren: string }>(database.db, sql`SELECT epci_siren FROM communes WHERE code_insee = ${NIMES}`);
  [bailleur, autreBailleur, nimes, ales, uzes, epciNimes, etat] = await Promise.all([
    createUser(t, { role: 'bailleur', departement: '30', organisationId: bailleurOrg }),
    createUser(t, { role: 'bailleur', departement: '30', organisationId: autreOrg }),
    createUser(t, { role: 'commune', departement: '30', communeInsee: NIMES }),
    createUser(t, { role: 'commune', departement: '30', communeInsee: ALES }),
    createUser(t, { role: 'commune', departement: '30', communeInsee: UZES }),
    createUser(t, { role: 'agent_epci', departement: '30', epciSiren: e!.epci_siren }),
    createUser(t, { role: 'agent_etat', departement: '30' }),
  ]);
  // The mail already queued by the demo data is not this file's business.
  await deliverDueEmails(t.database.db, t.config, 1000);
  smtp.messages.length = 0;
}, 300_000);
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** GETs the feed of a subscription URL without any session. */
const lireFlux = (url: string) => t.app.inject({ method: 'GET', url: url.replace('https://atelier.example.fr', '') });

/** Parses a feed with ical.js and registers its time zones, so that dates convert. */
function analyser(texte: string) {
  const cal = new ICAL.Component(ICAL.parse(texte));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  const evenements = cal.getAllSubcomponents('vevent').map((v) => ({ event: new ICAL.Event(v), composant: v }));
  return { cal, evenements, parUid: (uid: string) => evenements.find((e) => e.event.uid === uid) };
}

const LONG_ORDRE = 'Examen de 14 logements : résidence « Les Cigales », T3 & T4 ; quartier Pissevin, Valdegour, Gambetta — deuxième passage\\après relance.\nPoint 2 : mutations internes, rien de nominatif.';

describe('CALEOL sittings and the calendar feed', () => {
  let seanceId: string;
  let urlNimes: string;

  it('a landlord declares a sitting for two communes; only landlords may, only their own', async () => {
    const res = await bailleur.post('/api/v1/caleol/seances', {
      debut: '2027-02-10T09:30:00+01:00',
      fin: '2027-02-10T12:00:00+01:00',
      lieu: 'Siège, 12 rue de la République, Nîmes',
      communes: [NIMES, ALES],
      commission: 'CALEOL Gard Est',
      ordre_du_jour: LONG_ORDRE,
    });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    seanceId = s.id;
    expect(s).toMatchObject({ statut: 'planifiee', sequence: 0, commission: 'CALEOL Gard Est', bailleur: { id: bailleurOrg }, policies: { modifier: true, presence: false } });
    expect(s.communes.map((c: { code_insee: string }) => c.code_insee).sort()).toEqual([ALES, NIMES]);
    expect(new Date(s.debut).toISOString()).toBe('2027-02-10T08:30:00.000Z');
    // A commune cannot declare; an unknown commune is named; the end comes after the start.
    expect((await nimes.post('/api/v1/caleol/seances', { debut: '2027-02-10T09:30:00+01:00', communes: [NIMES] })).statusCode).toBe(403);
    const inconnue = await bailleur.post('/api/v1/caleol/seances', { debut: '2027-02-10T09:30:00+01:00', communes: ['34172'] });
    expect(inconnue.statusCode).toBe(422);
    expect(inconnue.json().message).toContain('34172');
    expect((await bailleur.post('/api/v1/caleol/seances', { debut: '2027-02-10T09:30:00+01:00', fin: '2027-02-10T08:00:00+01:00', communes: [NIMES] })).statusCode).toBe(422);
    // Another landlord neither sees nor changes it.
    expect((await autreBailleur.get(`/api/v1/caleol/seances/${seanceId}`)).statusCode).toBe(404);
    expect((await autreBailleur.patch(`/api/v1/caleol/seances/${seanceId}`, { lieu: 'ailleurs' })).statusCode).toBe(404);
    expect((await autreBailleur.delete(`/api/v1/caleol/seances/${seanceId}`)).statusCode).toBe(404);
  });

  it('the communes concerned, their EPCI and the State see it; a commune not concerned does not', async () => {
    for (const c of [nimes, ales, etat]) {
      const list = (await c.get('/api/v1/caleol/seances')).json();
      expect(list.results.map((s: { id: string }) => s.id)).toContain(seanceId);
    }
    expect((await epciNimes.get('/api/v1/caleol/seances')).json().results.map((s: { id: string }) => s.id)).toContain(seanceId);
    expect((await uzes.get('/api/v1/caleol/seances')).json().results.map((s: { id: string }) => s.id)).not.toContain(seanceId);
    expect((await uzes.get(`/api/v1/caleol/seances/${seanceId}`)).statusCode).toBe(404);
  });

  it('the referents of the communes concerned get a notice through the outbox', async () => {
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(2);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([ales.email, nimes.email].sort());
    const raw = smtp.messages.find((m) => m.to[0] === nimes.email)!.raw;
    expect(raw).toMatch(/Nouvelle s=C3=A9ance|Nouvelle séance|=\?UTF-8\?/);
    expect(raw).toContain('https://atelier.example.fr/attributions/calendrier');
    smtp.messages.length = 0;
  });

  it('the commune’s feed is RFC 5545 at a secret URL, readable without a session, parsed by ical.js', async () => {
    const me = await nimes.get('/api/v1/me/calendrier');
    expect(me.statusCode).toBe(200);
    urlNimes = me.json().url;
    expect(urlNimes).toMatch(/^https:\/\/atelier\.example\.fr\/api\/v1\/calendriers\/[\w-]{30,}\.ics$/);
    expect(me.json().webcal).toBe(urlNimes.replace('https:', 'webcal:'));
    // The same address while it is not renewed.
    expect((await nimes.get('/api/v1/me/calendrier')).json().url).toBe(urlNimes);

    const res = await lireFlux(urlNimes);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    // Lines end with CRLF and none is longer than 75 octets (folded, never inside a character).
    const lignes = res.body.split('\r\n');
    expect(lignes.at(-1)).toBe('');
    expect(lignes.every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    expect(res.body).not.toMatch(/[^\r]\n/);
    const { cal, parUid } = analyser(res.body);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(cal.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/Paris');
    const ev = parUid(`caleol-${seanceId}@atelier`)!;
    expect(ev).toBeDefined();
    expect(ev.event.startDate.zone?.tzid).toBe('Europe/Paris');
    expect(ev.event.startDate.toString()).toBe('2027-02-10T09:30:00');
    expect(ev.event.startDate.toJSDate().toISOString()).toBe('2027-02-10T08:30:00.000Z');
    expect(ev.event.endDate.toJSDate().toISOString()).toBe('2027-02-10T11:00:00.000Z');
    expect(ev.event.sequence).toBe(0);
    expect(ev.composant.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(ev.event.location).toBe('Siège, 12 rue de la République, Nîmes');
    // Escaping and folding give back the text exactly (commas, semicolons, backslash, new line, accents).
    expect(ev.event.description).toContain(LONG_ORDRE);
    expect(ev.event.summary).toContain('Habitat du Gard (tests)');
    const dtstamp = ev.composant.getFirstProperty('dtstamp')!.getFirstValue() as ICAL.Time;
    expect(dtstamp.zone).toBe(ICAL.Timezone.utcTimezone);
  });

  it('a summer sitting is written at its Paris summer time', async () => {
    const res = await bailleur.post('/api/v1/caleol/seances', { debut: '2027-07-06T14:00:00+02:00', communes: [NIMES], lien_visio: 'https://visio.example.fr/caleol' });
    expect(res.statusCode).toBe(201);
    const ev = analyser((await lireFlux(urlNimes)).body).parUid(`caleol-${res.json().id}@atelier`)!;
    expect(ev.event.startDate.toString()).toBe('2027-07-06T14:00:00');
    expect(ev.event.startDate.toJSDate().toISOString()).toBe('2027-07-06T12:00:00.000Z');
    expect(ev.event.endDate.toJSDate().toISOString()).toBe('2027-07-06T14:00:00.000Z');
    expect(ev.event.location).toBe('https://visio.example.fr/caleol');
    await deliverDueEmails(t.database.db, t.config);
    smtp.messages.length = 0;
  });

  it('a moved sitting keeps its history, its SEQUENCE moves on, the communes are told', async () => {
    const res = await bailleur.patch(`/api/v1/caleol/seances/${seanceId}`, { debut: '2027-02-11T14:00:00+01:00' });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.sequence).toBe(1);
    // The end moved with the start (same length).
    expect(new Date(s.fin).toISOString()).toBe('2027-02-11T15:30:00.000Z');
    expect(s.modifications).toHaveLength(1);
    expect(s.modifications[0].champs.debut).toEqual({ avant: '2027-02-10T08:30:00.000Z', apres: '2027-02-11T13:00:00.000Z' });
    const ev = analyser((await lireFlux(urlNimes)).body).parUid(`caleol-${seanceId}@atelier`)!;
    expect(ev.event.sequence).toBe(1);
    expect(ev.event.startDate.toString()).toBe('2027-02-11T14:00:00');
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(2);
    expect(smtp.messages.every((m) => /modifi/i.test(m.raw))).toBe(true);
    smtp.messages.length = 0;
    // A change that changes nothing is not a new version.
    expect((await bailleur.patch(`/api/v1/caleol/seances/${seanceId}`, { lieu: 'Siège, 12 rue de la République, Nîmes' })).json().sequence).toBe(1);
  });

  it('the feed carries the project reviews the user is invited to', async () => {
    const [e] = await rows<{ epci_siren: string }>(t.database.db, sql`SELECT epci_siren FROM communes WHERE code_insee = ${NIMES}`);
    const rv = await etat.post('/api/v1/revues', { epci_siren: e!.epci_siren, date: '2027-03-02T10:00:00+01:00', lieu: 'DDTM, Nîmes', participants: [{ email: nimes.email }] });
    expect(rv.statusCode).toBe(201);
    const ev = analyser((await lireFlux(urlNimes)).body).parUid(`revue-${rv.json().id}@atelier`)!;
    expect(ev.event.summary).toMatch(/Revue de projet/);
    expect(ev.event.startDate.toString()).toBe('2027-03-02T10:00:00');
    // Alès was not invited.
    const urlAles = (await ales.get('/api/v1/me/calendrier')).json().url;
    expect(analyser((await lireFlux(urlAles)).body).parUid(`revue-${rv.json().id}@atelier`)).toBeUndefined();
    await deliverDueEmails(t.database.db, t.config);
    smtp.messages.length = 0;
  });

  it('a cancelled sitting stays in the feed as STATUS:CANCELLED with a new SEQUENCE', async () => {
    const res = await bailleur.delete(`/api/v1/caleol/seances/${seanceId}?motif=${encodeURIComponent('Quorum non atteint')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ statut: 'annulee', sequence: 2, motif_annulation: 'Quorum non atteint', policies: { modifier: false } });
    const ev = analyser((await lireFlux(urlNimes)).body).parUid(`caleol-${seanceId}@atelier`)!;
    expect(ev.composant.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(ev.event.sequence).toBe(2);
    expect((await bailleur.patch(`/api/v1/caleol/seances/${seanceId}`, { lieu: 'x' })).statusCode).toBe(422);
    expect((await bailleur.delete(`/api/v1/caleol/seances/${seanceId}`)).statusCode).toBe(422);
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(2);
    expect(smtp.messages.every((m) => /annul/i.test(m.raw))).toBe(true);
    smtp.messages.length = 0;
  });

  it('renewing revokes the old URL (404); an unknown token is 404; only a hash is stored', async () => {
    const ancien = urlNimes;
    const jeton = ancien.match(/calendriers\/([\w-]+)\.ics$/)![1]!;
    const stocke = await rows<Record<string, unknown>>(t.database.db, sql`SELECT * FROM calendrier_abonnements WHERE user_id = ${nimes.id}::uuid`);
    expect(JSON.stringify(stocke)).not.toContain(jeton);
    const res = await nimes.post('/api/v1/me/calendrier/renouveler');
    expect(res.statusCode).toBe(200);
    urlNimes = res.json().url;
    expect(urlNimes).not.toBe(ancien);
    expect((await lireFlux(ancien)).statusCode).toBe(404);
    expect((await lireFlux(urlNimes)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/calendriers/inconnu-inconnu-inconnu-inconnu.ics' })).statusCode).toBe(404);
    // No session needed, and none is given: anonymous callers of the account routes are 401.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/calendrier' })).statusCode).toBe(401);
    // The renewal is audited (without the token).
    const audit = await rows<{ action: string; after: unknown }>(t.database.db, sql`SELECT action, after FROM audit_log WHERE entity_type = 'calendrier_abonnement' AND entity_id = ${nimes.id}`);
    expect(audit.map((a) => a.action)).toContain('calendrier_renouvellement');
    expect(JSON.stringify(audit)).not.toContain(res.json().url.match(/calendriers\/([\w-]+)\.ics$/)[1]);
  });

  it('a commune records its attendance at a past sitting; not at a future one, nor for another commune', async () => {
    const passee = await bailleur.post('/api/v1/caleol/seances', { debut: '2025-11-04T09:00:00+01:00', communes: [NIMES] });
    expect(passee.statusCode).toBe(201);
    const id = passee.json().id;
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/caleol/seances/${id}/presence`, payload: { presence: 'elu' }, headers: { cookie: nimes.cookie, 'x-csrf-token': nimes.csrf } });
    expect(res.statusCode).toBe(200);
    expect(res.json().presences).toEqual([{ commune: NIMES, presence: 'elu' }]);
    const future = (await bailleur.post('/api/v1/caleol/seances', { debut: '2027-09-01T09:00:00+02:00', communes: [NIMES] })).json().id;
    const tot = await t.app.inject({ method: 'PUT', url: `/api/v1/caleol/seances/${future}/presence`, payload: { presence: 'referent' }, headers: { cookie: nimes.cookie, 'x-csrf-token': nimes.csrf } });
    expect(tot.statusCode).toBe(422);
    const autre = await t.app.inject({ method: 'PUT', url: `/api/v1/caleol/seances/${id}/presence`, payload: { presence: 'elu' }, headers: { cookie: uzes.cookie, 'x-csrf-token': uzes.csrf } });
    expect(autre.statusCode).toBe(404);
    await deliverDueEmails(t.database.db, t.config);
    smtp.messages.length = 0;
  });
});

describe('vacated dwellings', () => {
  let logementId: string;
  let seanceId: string;
  const corps = { commune: NIMES, typologie: 'T3', produit: 'PLUS', surface_m2: 68, loyer_mensuel: 412.5, disponible_le: '2027-03-01', reservataire: 'commune', residence: 'Les Cigales', reference: 'LGT-0001' };

  it('a landlord declares a freed dwelling (201); the commune is told', async () => {
    const res = await bailleur.post('/api/v1/logements-liberes', corps);
    expect(res.statusCode).toBe(201);
    logementId = res.json().id;
    expect(res.json()).toMatchObject({ statut: 'declare', typologie: 'T3', produit: 'PLUS', surface_m2: 68, loyer_mensuel: 412.5, commune: { code_insee: NIMES }, policies: { modifier: true } });
    expect((await bailleur.post('/api/v1/logements-liberes', corps)).statusCode).toBe(422); // same reference
    expect((await nimes.post('/api/v1/logements-liberes', { ...corps, reference: 'x' })).statusCode).toBe(403);
    expect((await bailleur.post('/api/v1/logements-liberes', { ...corps, reference: undefined, typologie: 'T9' })).statusCode).toBe(400);
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(1);
    expect(smtp.messages[0]!.to).toEqual([nimes.email]);
    smtp.messages.length = 0;
  });

  it('the commune, its EPCI and the State see it; another commune and another landlord do not', async () => {
    for (const c of [nimes, epciNimes, etat, bailleur]) {
      const list = (await c.get('/api/v1/logements-liberes')).json();
      expect(list.results.map((l: { id: string }) => l.id)).toContain(logementId);
      expect(list.count).toBeGreaterThanOrEqual(1);
    }
    for (const c of [ales, autreBailleur]) expect((await c.get('/api/v1/logements-liberes')).json().results.map((l: { id: string }) => l.id)).not.toContain(logementId);
    expect((await autreBailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'propose_caleol' })).statusCode).toBe(404);
    // Filters, and a filter naming another's commune does not widen the scope.
    expect((await nimes.get('/api/v1/logements-liberes?typologie=T3&statut=declare')).json().count).toBe(1);
    expect((await nimes.get('/api/v1/logements-liberes?typologie=T4')).json().count).toBe(0);
    expect((await ales.get(`/api/v1/logements-liberes?commune=${NIMES}`)).json().count).toBe(0);
    const csv = await nimes.get('/api/v1/logements-liberes/export.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('LGT-0001;Habitat du Gard (tests);Nîmes;30189;Les Cigales;;T3;PLUS;68;412,5;2027-03-01;Commune');
    expect((await ales.get('/api/v1/logements-liberes/export.csv')).body).not.toContain('LGT-0001');
  });

  it('status: déclaré → proposé en CALEOL (a sitting of its landlord) → attribué (the date only)', async () => {
    expect((await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'attribue', attribue_le: '2026-01-05' })).statusCode).toBe(422);
    expect((await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'propose_caleol' })).statusCode).toBe(422);
    seanceId = (await bailleur.post('/api/v1/caleol/seances', { debut: '2027-02-20T09:30:00+01:00', communes: [NIMES] })).json().id;
    const autreSeance = (await autreBailleur.post('/api/v1/caleol/seances', { debut: '2027-02-21T09:30:00+01:00', communes: [NIMES] })).json().id;
    expect((await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'propose_caleol', seance_id: autreSeance })).statusCode).toBe(422);
    const p = await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'propose_caleol', seance_id: seanceId });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ statut: 'propose_caleol', seance: { id: seanceId } });
    expect((await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'attribue' })).statusCode).toBe(422);
    const a = await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'attribue', attribue_le: '2026-01-05' });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ statut: 'attribue', attribue_le: '2026-01-05' });
    expect((await bailleur.patch(`/api/v1/logements-liberes/${logementId}`, { statut: 'declare' })).statusCode).toBe(422);
    await deliverDueEmails(t.database.db, t.config);
    smtp.messages.length = 0;
  });

  it('imports a csv from the landlord’s system: dry run writes nothing, then all rows; re-import updates', async () => {
    const csv = Buffer.from(
      '\uFEFFRéférence;Commune;Résidence;Typologie;Produit;Surface;Loyer mensuel;Disponible le;Contingent;Accessible\r\n' +
        'LGT-1001;30189;Les Oliviers;T2;PLAI;48,5;301,20;15/04/2027;Préfecture;oui\r\n' +
        'LGT-1002;30007;Cévennes;F4;PLUS;81;520;2027-05-01;Action Logement;non\r\n',
    );
    const envoyer = (b: Buffer, query = '') => {
      const m = multipartBody(b, 'liberes.csv');
      return t.app.inject({ method: 'POST', url: `/api/v1/logements-liberes/import${query}`, payload: m.body, headers: { cookie: bailleur.cookie, 'x-csrf-token': bailleur.csrf, 'content-type': m.contentType } });
    };
    const avant = (await bailleur.get('/api/v1/logements-liberes')).json().count;
    const essai = await envoyer(csv, '?dry_run=true');
    expect(essai.statusCode).toBe(200);
    expect(essai.json()).toMatchObject({ dry_run: true, lignes: 2, creees: 2, erreurs: [] });
    expect((await bailleur.get('/api/v1/logements-liberes')).json().count).toBe(avant);
    const vrai = await envoyer(csv);
    expect(vrai.json()).toMatchObject({ dry_run: false, creees: 2, mises_a_jour: 0 });
    const list = (await bailleur.get('/api/v1/logements-liberes')).json();
    expect(list.count).toBe(avant + 2);
    expect(list.results.find((l: { reference: string }) => l.reference === 'LGT-1002')).toMatchObject({ typologie: 'T4', reservataire: 'action_logement', accessible: false, commune: { code_insee: ALES } });
    expect(list.results.find((l: { reference: string }) => l.reference === 'LGT-1001')).toMatchObject({ reservataire: 'etat', surface_m2: 48.5, loyer_mensuel: 301.2, disponible_le: '2027-04-15' });
    expect((await envoyer(csv)).json()).toMatchObject({ creees: 0, mises_a_jour: 2 });
    // One notice per commune for the new ones only.
    expect(await deliverDueEmails(t.database.db, t.config)).toBe(2);
    smtp.messages.length = 0;
    // A bad row: the row, the column and the value, nothing written.
    const faux = await envoyer(Buffer.from('commune;typologie;produit;disponible_le;reservataire\n30189;T3;PLUS;31/02/2027;commune\n99999;T3;PLUS;2027-01-01;mairie\n'));
    expect(faux.statusCode).toBe(422);
    expect(faux.json().erreurs).toEqual([
      expect.objectContaining({ ligne: 2, colonne: 'disponible_le', valeur: '31/02/2027' }),
      expect.objectContaining({ ligne: 3, colonne: 'commune', valeur: '99999' }),
      expect.objectContaining({ ligne: 3, colonne: 'reservataire', valeur: 'mairie' }),
    ]);
    expect((await bailleur.get('/api/v1/logements-liberes')).json().count).toBe(avant + 2);
  });
});

describe('the privacy rule: no data about applicants or tenants, ever', () => {
  const SECRET_NOM = 'Zorglubovitch';
  const SECRET_NIR = '1850578006048';

  const traces = async () => {
    const audit = await rows<{ t: string }>(t.database.db, sql`SELECT coalesce(string_agg(before::text || ' ' || after::text || ' ' || entity_id, ' '), '') AS t FROM audit_log`);
    const logements = await rows<{ t: string }>(t.database.db, sql`SELECT coalesce(string_agg(l::text, ' '), '') AS t FROM logements_liberes l`);
    const mails = await rows<{ t: string }>(t.database.db, sql`SELECT coalesce(string_agg(texte || sujet, ' '), '') AS t FROM emails_sortants`);
    return `${audit[0]!.t} ${logements[0]!.t} ${mails[0]!.t} ${journal.join('')}`;
  };

  it('a body with a personal-data field is refused (422, French, RGPD), nothing stored or logged', async () => {
    const avant = (await bailleur.get('/api/v1/logements-liberes')).json().count;
    const res = await bailleur.post('/api/v1/logements-liberes', {
      commune: NIMES, typologie: 'T3', produit: 'PLUS', disponible_le: '2027-03-01', reservataire: 'commune',
      nom: SECRET_NOM, prenom: 'Jean', date_naissance: '1985-05-12', revenu: 18000, numero_unique: '030122400001', nir: SECRET_NIR,
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.message).toMatch(/données personnelles/);
    expect(body.message).toMatch(/RGPD/);
    expect(body.message).toContain('« nom »');
    expect(body.details.champs).toEqual(['nom', 'prenom', 'date_naissance', 'revenu', 'numero_unique', 'nir']);
    expect(res.body).not.toContain(SECRET_NOM);
    expect((await bailleur.get('/api/v1/logements-liberes')).json().count).toBe(avant);
    // Nested, other spellings, and on a sitting too; even an invalid body is refused for this reason first.
    const seance = await bailleur.post('/api/v1/caleol/seances', { debut: 'pas une date', communes: [NIMES], candidats: [{ 'Nom de naissance': SECRET_NOM }] });
    expect(seance.statusCode).toBe(422);
    expect(seance.json().details.champs).toEqual(['candidats', 'candidats[0].Nom de naissance']);
    const t2 = await bailleur.post('/api/v1/logements-liberes', { commune: NIMES, typologie: 'T3', produit: 'PLUS', disponible_le: '2027-03-01', reservataire: 'commune', 'Date de naissance': '1990-01-01', locataire: { NIR: SECRET_NIR } });
    expect(t2.statusCode).toBe(422);
    // A dwelling's own fields are not personal data.
    expect((await bailleur.post('/api/v1/logements-liberes', { commune: NIMES, typologie: 'T2', produit: 'PLAI', disponible_le: '2027-03-01', reservataire: 'etat', adresse: '3 rue des Lilas', residence: 'Les Lilas' })).statusCode).toBe(201);
    expect(await traces()).not.toContain(SECRET_NOM);
    expect(await traces()).not.toContain(SECRET_NIR);
  });

  it('a file with a personal-data column is refused whole: no row, no value in the answer, the audit or the log', async () => {
    const avant = (await bailleur.get('/api/v1/logements-liberes')).json().count;
    const csv = Buffer.from(`commune;typologie;produit;disponible_le;reservataire;Nom du locataire;N° unique;Revenus\n30189;T3;PLUS;2027-03-01;commune;${SECRET_NOM};030122400001;${SECRET_NIR}\n`);
    const m = multipartBody(csv, 'export-sne.csv');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/logements-liberes/import', payload: m.body, headers: { cookie: bailleur.cookie, 'x-csrf-token': bailleur.csrf, 'content-type': m.contentType } });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.erreurs.map((e: { colonne: string }) => e.colonne)).toEqual(['Nom du locataire', 'N° unique', 'Revenus']);
    expect(body.erreurs.every((e: { ligne: number; valeur: string; message: string }) => e.ligne === 1 && e.valeur === '' && /RGPD/.test(e.message))).toBe(true);
    expect(res.body).not.toContain(SECRET_NOM);
    expect(res.body).not.toContain(SECRET_NIR);
    expect((await bailleur.get('/api/v1/logements-liberes')).json().count).toBe(avant);
    expect(await traces()).not.toContain(SECRET_NOM);
    expect(await traces()).not.toContain(SECRET_NIR);
    // The log did record the requests (the check above is not vacuous).
    expect(journal.join('')).toContain('/api/v1/logements-liberes/import');
  });
});

describe('deliveries ahead', () => {
  it('lists the operations in scope delivered within the horizon, with the contingents their landlord records', async () => {
    const dans = (mois: number) => {
      const d = new Date();
      d.setUTCMonth(d.getUTCMonth() + mois);
      return d.toISOString().slice(0, 10);
    };
    const proche = await createOperationIn(t, NIMES, bailleurOrg, { nom: 'Résidence Les Amandiers', logements: { plai: 4, plus: 10, pls: 2 }, date_livraison_prevue: dans(6) });
    const lointaine = await createOperationIn(t, NIMES, bailleurOrg, { nom: 'Résidence lointaine', date_livraison_prevue: dans(20) });
    const aAles = await createOperationIn(t, ALES, bailleurOrg, { nom: 'Résidence d’Alès', date_livraison_prevue: dans(3) });
    const put = (c: Client, id: string, contingents: unknown) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/operations/${id}/contingents`, payload: { contingents }, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf } });
    const ok = await put(bailleur, proche, [{ reservataire: 'etat', logements: 5 }, { reservataire: 'commune', logements: 3 }, { reservataire: 'action_logement', logements: 4 }]);
    expect(ok.statusCode).toBe(200);
    expect((await put(bailleur, proche, [{ reservataire: 'etat', logements: 30 }])).statusCode).toBe(422);
    expect((await put(autreBailleur, proche, [{ reservataire: 'etat', logements: 1 }])).statusCode).toBe(404);
    expect((await put(nimes, proche, [{ reservataire: 'etat', logements: 1 }])).statusCode).toBe(403);

    const res = await nimes.get('/api/v1/livraisons?horizon_mois=12');
    expect(res.statusCode).toBe(200);
    const ids = res.json().results.map((o: { operation_id: string }) => o.operation_id);
    expect(ids).toContain(proche);
    expect(ids).not.toContain(lointaine);
    expect(ids).not.toContain(aAles);
    expect(res.json().results.find((o: { operation_id: string }) => o.operation_id === proche)).toMatchObject({
      logements: { total: 16, plai: 4, plus: 10, pls: 2 },
      contingents: [{ reservataire: 'action_logement', logements: 4 }, { reservataire: 'commune', logements: 3 }, { reservataire: 'etat', logements: 5 }],
    });
    expect((await nimes.get('/api/v1/livraisons?horizon_mois=24')).json().results.map((o: { operation_id: string }) => o.operation_id)).toContain(lointaine);
    expect((await nimes.get('/api/v1/livraisons')).json().horizon_mois).toBe(12);
    expect((await epciNimes.get('/api/v1/livraisons')).json().results.map((o: { operation_id: string }) => o.operation_id)).toContain(proche);
    expect((await ales.get('/api/v1/livraisons')).json().results.map((o: { operation_id: string }) => o.operation_id)).toEqual(expect.arrayContaining([aAles]));
    expect((await ales.get('/api/v1/livraisons')).json().results.map((o: { operation_id: string }) => o.operation_id)).not.toContain(proche);
    expect((await nimes.get('/api/v1/livraisons?horizon_mois=0')).statusCode).toBe(400);
  });

  it('tells the mayor and the réservataires N months ahead, once, and again when the date moves', async () => {
    const dans = (mois: number) => {
      const d = new Date();
      d.setUTCMonth(d.getUTCMonth() + mois);
      return d.toISOString().slice(0, 10);
    };
    const nom = `Résidence avisée ${Date.now()}`;
    const id = await createOperationIn(t, NIMES, bailleurOrg, { nom, date_livraison_prevue: dans(8) });
    const loin = await createOperationIn(t, NIMES, bailleurOrg, { nom: `${nom} lointaine`, date_livraison_prevue: dans(14) });
    await t.app.inject({ method: 'PUT', url: `/api/v1/operations/${id}/contingents`, payload: { contingents: [{ reservataire: 'etat', logements: 2 }] }, headers: { cookie: bailleur.cookie, 'x-csrf-token': bailleur.csrf } });
    await deliverDueEmails(t.database.db, t.config, 1000);
    smtp.messages.length = 0;
    const avis = async () => {
      await envoyerAvisLivraisons(t.database.db, t.config);
      await deliverDueEmails(t.database.db, t.config, 1000);
      const recus = [...smtp.messages];
      smtp.messages.length = 0;
      return recus;
    };
    const premiers = await avis();
    const pour = (ms: typeof premiers, qui: string) => ms.filter((m) => m.to[0] === qui);
    // The mayor (commune account) and the State (contingent « etat »); not the far one (14 months > 9).
    expect(pour(premiers, nimes.email).length).toBeGreaterThanOrEqual(1);
    expect(pour(premiers, etat.email).length).toBeGreaterThanOrEqual(1);
    const [row] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM livraisons_avis WHERE operation_id = ${loin}::uuid`);
    expect(row!.n).toBe(0);
    const [annonce] = await rows<{ d: string }>(t.database.db, sql`SELECT to_char(date_livraison_prevue, 'YYYY-MM-DD') AS d FROM livraisons_avis WHERE operation_id = ${id}::uuid`);
    expect(annonce!.d).toBe(dans(8));
    // Once: nothing more for it on the next run.
    await envoyerAvisLivraisons(t.database.db, t.config);
    const [n] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM emails_sortants WHERE statut = 'a_envoyer'`);
    expect(n!.n).toBe(0);
    // The date moves: told again.
    expect((await bailleur.patch(`/api/v1/operations/${id}`, { date_livraison_prevue: dans(7) })).statusCode).toBe(200);
    expect(await envoyerAvisLivraisons(t.database.db, t.config)).toBe(1);
    await deliverDueEmails(t.database.db, t.config, 1000);
    expect(smtp.messages.filter((m) => m.to[0] === nimes.email).length).toBe(1);
    smtp.messages.length = 0;
  });
});
