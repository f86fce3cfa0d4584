/**
 * Hostile input (issue 11):
 * - generated and malformed JSON bodies (fast-check) on every route of the OpenAPI document that
 *   takes one, and generated files on every import route: a 2xx or a 4xx with a French message,
 *   never a 5xx;
 * - upload bombs refused early, memory bounded: a 200 MB upload, an xlsx « zip bomb », a CSV with a
 *   1 MB line, a GeoJSON with a million vertices, a deeply nested JSON body;
 * - XSS: hostile stored text on the server-rendered public page is escaped; `javascript:` addresses
 *   are refused in aids; SVG (scripts) is refused as an operation document.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import fc from 'fast-check';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Permission, type Role } from '../shared/roles.js';
import { createOperationIn, createOrganisation } from './factories.js';
import { COMPTE, lireRoutes, type JsonSchema, type Route } from './openapi.js';
import { createTestApp, DEMO, multipartBody, signIn, type Client, type TestContext } from './helpers.js';



/** Routes that end the caller's own session: not fuzzed (the session is needed for the rest). */
const EXCLUES = new Set(['POST /api/v1/auth/logout']);

let t: TestContext;
let routes: Route[];
const clients: Partial<Record<Role, Client>> = {};

beforeAll(async () => {
  t = await createTestApp();
  routes = await lireRoutes(t.app);
  for (const role of ROLES) clients[role] = await signIn(t.app, COMPTE[role]);
}, 300_000);
afterAll(async () => t?.close());

const needed = (r: Route): Permission[] | null => {
  const x = r.op['x-permission'];
  if (x === undefined || x === 'public' || x === 'authentifie') return null;
  return typeof x === 'string' ? [x] : x;
};
const roleAvec = (perms: Permission[] | null): Role =>
  perms ? (['agent_etat', 'agent_epci', 'commune', 'bailleur', 'financeur', 'epf', 'admin'] as const).find((role) => perms.some((p) => can(role, p)))! : 'agent_etat';

function urlOf(r: Route): string {
  return r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const s = r.op.parameters?.find((x) => x.in === 'path' && x.name === name)?.schema ?? {};
    if (s.enum?.length) return String(s.enum[0]);
    if (name === 'code') return '30189';
    if (name === 'siren') return '200066918';
    if (name === 'annee') return '2026';
    if (s.type === 'integer' || s.type === 'number') return '987654321';
    return randomUUID();
  });
}

/** A minimal valid value of a JSON schema, the starting point of the mutations. */
function exemple(s: JsonSchema | undefined, name = ''): unknown {
  if (!s) return {};
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  if (s.anyOf?.length) return exemple(s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0], name);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, exemple(s.properties?.[k], k)]));
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => exemple(s.items, name));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string':
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date') return '2026-01-15';
      if (/email/i.test(name)) return 'personne@exemple.fr';
      if (/insee|commune/i.test(name)) return '30189';
      return 'x'.repeat(Math.max(s.minLength ?? 1, 12));
    default:
      return {};
  }
}

const imbrique = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Values chosen to break things: types, limits, encodings, injections. */
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom<unknown>(
    '', ' ', '\u0000', '\uD800', 'x'.repeat(100_000), '<script>alert(1)</script>', "'; DROP TABLE users; --", 'javascript:alert(1)',
    -1, 0, -0, 2 ** 53 + 1, 1e308, -1e308, 0.1, 1e-300, null, true, [], {}, [null], { __proto__: { admin: true } },
    '2026-02-30', '0000-00-00', '9999-12-31T99:99', '30189', '99999', 'NaN', 'Infinity', '1e309', '٣', 'Ⅻ',
  ),
);

/** Bodies: anything, the valid example with one field replaced or removed, extra keys, deep nesting. */
function corps(r: Route): fc.Arbitrary<string> {
  const schema = r.op.requestBody?.content['application/json']?.schema;
  const ex = exemple(schema);
  const cles = [...new Set([...Object.keys(schema?.properties ?? {}), ...Object.keys((ex as object) ?? {})])];
  const objet = typeof ex === 'object' && ex !== null && !Array.isArray(ex) ? (ex as Record<string, unknown>) : {};
  const mutations: fc.Arbitrary<unknown>[] = [fc.jsonValue({ maxDepth: 4 }), fc.constant(ex)];
  if (cles.length) {
    mutations.push(fc.tuple(fc.constantFrom(...cles), hostile).map(([k, v]) => ({ ...objet, [k]: v })));
    mutations.push(fc.constantFrom(...cles).map((k) => Object.fromEntries(Object.entries(objet).filter(([x]) => x !== k))));
    mutations.push(fc.dictionary(fc.constantFrom(...cles), hostile).map((d) => ({ ...objet, ...d })));
  }
  return fc.oneof(
    fc.oneof(...mutations).map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom('', '{', '{"a":', 'null', '"texte"', '[1, "deux"]', '{"a":1,"a":2}', '\uFEFF{}', `{"x":${imbrique(50_000)}}`, imbrique(100_000)),
  );
}

/** The French-message check of routes.api.test.ts: no English validation wording, French words. */
function nonFrancais(message: unknown): boolean {
  const m = typeof message === 'string' ? message : '';
  return !/[a-zà-ÿ]/i.test(m) || /\b(Invalid input|Expected|Required|received|must|should)\b/.test(m) || !/[éèàêûôç’]|\b(requête|invalide|attendu|fichier|introuvable|aucun|aucune|le|la|les|du|des|dans|de)\b/i.test(m);
}

async function envoyer(r: Route, payload: string | Buffer, contentType: string, query = '') {
  const role = roleAvec(needed(r));
  let who = clients[role]!;
  const go = () =>
    t.app.inject({ method: r.method as 'POST', url: urlOf(r) + query, payload, headers: { 'content-type': contentType, cookie: who.cookie, 'x-csrf-token': who.csrf } });
  let res = await go();
  if (res.statusCode === 401 && r.op['x-permission'] !== 'public') {
    // A generated body changed the account (e.g. its password): sign in again, once.
    clients[role] = who = await signIn(t.app, COMPTE[role]);
    res = await go();
  }
  return res;
}

function ecart(r: Route, body: string, res: { statusCode: number; body: string }): string | null {
  if (res.statusCode >= 500) return `${r.key}: ${res.statusCode} ${res.body.slice(0, 200)} ← ${body.slice(0, 200)}`;
  if (res.statusCode >= 400) {
    let message: unknown;
    try {
      message = (JSON.parse(res.body) as { message?: unknown }).message;
    } catch {
      return `${r.key}: ${res.statusCode} sans corps JSON ← ${body.slice(0, 120)}`;
    }
    if (nonFrancais(message)) return `${r.key}: ${res.statusCode} message non français « ${String(message).slice(0, 160)} » ← ${body.slice(0, 120)}`;
  }
  return null;
}

describe('generated bodies on every route that takes one', () => {
  it('JSON bodies: a 2xx or a 4xx with a French message, never a 5xx', async () => {
    const cibles = routes.filter((r) => r.op.requestBody?.content['application/json'] && !EXCLUES.has(r.key));
    expect(cibles.length).toBeGreaterThan(25);
    const ecarts: string[] = [];
    for (const r of cibles) {
      await fc.assert(
        fc.asyncProperty(corps(r), async (body) => {
          const e = ecart(r, body, await envoyer(r, body, 'application/json'));
          if (e) ecarts.push(e);
          return true;
        }),
        { numRuns: 12, seed: 20261203 },
      );
    }
    expect([...new Set(ecarts)]).toEqual([]);
  }, 600_000);

  it('generated files on every import route (dry run): a 2xx or a 4xx with a French message, never a 5xx', async () => {
    const imports = routes.filter((r) => r.op['x-multipart'] !== undefined && r.path.endsWith('/import'));
    expect(imports.map((r) => r.key).sort()).toEqual(['POST /api/v1/foncier/gisements/import', 'POST /api/v1/logements-liberes/import', 'POST /api/v1/operations/import', 'POST /api/v1/sru/import']);
    const cellule = fc.oneof(fc.string({ maxLength: 12 }), hostile.map((v) => (typeof v === 'string' ? v.slice(0, 300) : JSON.stringify(v) ?? '')));
    const fichier = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((b) => ({ nom: 'aleatoire.xlsx', contenu: Buffer.from(b) })),
      fc.array(fc.array(cellule, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }).map((l) => ({ nom: 'genere.csv', contenu: Buffer.from(l.map((x) => x.join(';')).join('\r\n')) })),
      fc.jsonValue({ maxDepth: 5 }).map((v) => ({ nom: 'genere.geojson', contenu: Buffer.from(JSON.stringify(v) ?? '') })),
      fc.array(fc.tuple(fc.float(), fc.float()), { maxLength: 10 }).map((pts) => ({
        nom: 'geometrie.geojson',
        contenu: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { nom: 'x' }, geometry: { type: 'Polygon', coordinates: [pts] } }] })),
      })),
    );
    const ecarts: string[] = [];
    for (const r of imports) {
      await fc.assert(
        fc.asyncProperty(fichier, async (f) => {
          const m = multipartBody(f.contenu, f.nom);
          const e = ecart(r, f.contenu.toString('utf8'), await envoyer(r, m.body, m.contentType, '?dry_run=true'));
          if (e) ecarts.push(e);
          return true;
        }),
        { numRuns: 25, seed: 20261203 },
      );
    }
    // The aids import takes a JSON body: fuzzed in the test above, and here with generated catalogues.
    const aides = routes.find((r) => r.key === 'POST /api/v1/aides/import')!;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.constantFrom('slug', 'name', 'targeted_audiences', 'perimeter', 'aid_types', 'submission_deadline', 'origin_url', 'categories'), hostile), { maxLength: 5 }), async (results) => {
        const body = JSON.stringify({ results });
        const e = ecart(aides, body, await envoyer(aides, body, 'application/json', '?dry_run=true'));
        if (e) ecarts.push(e);
        return true;
      }),
      { numRuns: 25, seed: 20261203 },
    );
    expect([...new Set(ecarts)]).toEqual([]);
  }, 600_000);
});

/** Samples the process's resident memory while `f` runs: the peak above the level at the start. */
async function pic<T>(f: () => Promise<T>): Promise<{ r: T; mo: number; ms: number }> {
  const avant = process.memoryUsage().rss;
  let max = avant;
  const timer = setInterval(() => (max = Math.max(max, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  try {
    const r = await f();
    max = Math.max(max, process.memoryUsage().rss);
    return { r, mo: Math.round((max - avant) / 1024 / 1024), ms: Math.round(performance.now() - t0) };
  } finally {
    clearInterval(timer);
  }
}

const mesures: string[] = [];

describe('upload bombs are refused early, with bounded memory', () => {
  let etat: Client;
  beforeAll(async () => {
    etat = clients.agent_etat!;
  });
  const importer = (url: string, contenu: Buffer, nom: string) => {
    const m = multipartBody(contenu, nom);
    return t.app.inject({ method: 'POST', url, payload: m.body, headers: { 'content-type': m.contentType, cookie: etat.cookie, 'x-csrf-token': etat.csrf } });
  };

  it('a 200 MB upload is refused past the 50 MB limit (413, French message), never held in memory', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const boundary = '----atelierbombe';
    const debut = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="enorme.csv"\r\nContent-Type: text/csv\r\n\r\n`);
    const bloc = Buffer.alloc(1024 * 1024, 'a;b;c\r\n');
    const { r, mo, ms } = await pic(
      () =>
        new Promise<{ status: number; body: string; envoye: number }>((resolve, reject) => {
          let envoye = 0;
          let repondu = false;
          const req = http.request(
            { port, host: '127.0.0.1', method: 'POST', path: '/api/v1/operations/import?dry_run=true', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: etat.cookie, 'x-csrf-token': etat.csrf } },
            (res) => {
              repondu = true;
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () => resolve({ status: res.statusCode!, body, envoye }));
            },
          );
          req.on('error', (e) => (repondu ? undefined : reject(e)));
          req.write(debut);
          const pousser = () => {
            while (!repondu && envoye < 200) {
              envoye++;
              if (!req.write(bloc)) return void req.once('drain', pousser);
            }
            if (!repondu) req.end(`\r\n--${boundary}--\r\n`);
          };
          pousser();
        }),
    );
    expect(r.status).toBe(413);
    expect((JSON.parse(r.body) as { message: string }).message).toBe('Le fichier ou le corps de la requête est trop volumineux.');
    // Past the limit the rest of the upload is read and dropped (not kept): memory stays bounded.
    mesures.push(`200 Mo envoyés : 413 après ${r.envoye} Mo envoyés, ${ms} ms, pic mémoire +${mo} Mo`);
    expect(mo).toBeLessThan(200);
  }, 300_000);

  it('an xlsx « zip bomb » (a few hundred KB inflating to 100 MB) is refused before it is inflated', async () => {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    const ligne = '<row><c t="inlineStr"><is><t>bombe</t></is></c></row>';
    const morceau = ligne.repeat(Math.ceil((1024 * 1024) / ligne.length));
    // 100 parts of 1 MB: the test never holds the 100 MB either.
    for (let i = 0; i < 100; i++) zip.file(`xl/worksheets/sheet${i + 1}.xml`, morceau);
    const bombe = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
    expect(bombe.length).toBeLessThan(2 * 1024 * 1024);
    const { r, mo, ms } = await pic(() => importer('/api/v1/operations/import?dry_run=true', bombe, 'bombe.xlsx'));
    expect(r.statusCode, r.body.slice(0, 300)).toBe(422);
    expect(r.json().message).toMatch(/une fois décompressé, il occuperait au moins \d+ Mo \(au plus 64 Mo par import\)/);
    mesures.push(`xlsx de ${Math.round(bombe.length / 1024)} Ko (100 Mo décompressé) : 422 en ${ms} ms, pic mémoire +${mo} Mo`);
    expect(mo).toBeLessThan(200);
  }, 120_000);

  it('a CSV with a 1 MB line is refused with its line number', async () => {
    const csv = Buffer.from(`Nom de l’opération;Commune;Bailleur\r\nOpération;30189;${'z'.repeat(1024 * 1024)}\r\n`);
    const { r, mo, ms } = await pic(() => importer('/api/v1/operations/import?dry_run=true', csv, 'longue.csv'));
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toMatch(/La ligne 2 compte 1\s048\s59\d caractères ; au plus 65\s536 par ligne/);
    expect(r.body.length).toBeLessThan(10_000);
    mesures.push(`CSV avec une ligne de 1 Mo : 422 en ${ms} ms, pic mémoire +${mo} Mo`);
  });

  it('a GeoJSON with a million vertices is refused before any geometry is checked', async () => {
    const n = 1_000_000;
    const parties: string[] = [];
    for (let i = 0; i < n; i++) parties.push(`[4.${String(300000 + (i % 90000)).padStart(6, '0')},43.8${i % 10}]`);
    const texte = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"Énorme"},"geometry":{"type":"Polygon","coordinates":[[${parties.join(',')}]]}}]}`;
    parties.length = 0;
    const { r, mo, ms } = await pic(() => importer('/api/v1/foncier/gisements/import?dry_run=true', Buffer.from(texte), 'enorme.geojson'));
    expect(r.statusCode, r.body.slice(0, 300)).toBe(422);
    expect(r.json().message).toMatch(/L’entité n° 1 compte plus de 50\s000 sommets/);
    mesures.push(`GeoJSON d’un million de sommets (${Math.round(texte.length / 1024 / 1024)} Mo) : 422 en ${ms} ms, pic mémoire +${mo} Mo`);
    expect(ms).toBeLessThan(30_000);
  }, 120_000);

  it('a deeply nested JSON body gets a 400 with a French message before it is parsed', async () => {
    for (const [url, body] of [
      ['/api/v1/operations', `{"nom":${imbrique(200_000)}}`],
      ['/api/v1/aides/import?dry_run=true', `{"results":${imbrique(200_000)}}`],
      ['/api/v1/foncier/gisements', `{"geometrie":{"type":"Polygon","coordinates":${imbrique(200_000)}}}`],
    ] as const) {
      const who = url.includes('aides') ? clients.admin! : etat;
      const { r, ms } = await pic(() => t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf } }));
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBeLessThan(500);
      expect(r.json().message).toBe('Corps JSON trop imbriqué : au plus 64 niveaux de tableaux et d’objets.');
      mesures.push(`JSON imbriqué sur 200 000 niveaux (${url}) : ${r.statusCode} en ${ms} ms`);
    }
    console.log(`[entrées hostiles ${t.database.kind}]\n  ${mesures.join('\n  ')}`);
  });
});

describe('XSS: hostile text is escaped where it is shown, hostile addresses and formats refused', () => {
  const charge = `Bagnols<script>alert("xss")</script><img src=x onerror=alert(1)>"' onmouseover="alert(2)`;

  it('the server-rendered public page and its embed escape stored commune and EPCI names', async () => {
    await t.database.db.execute(sql`UPDATE communes SET nom = ${charge} WHERE code_insee = '30028'`);
    await t.database.db.execute(sql`UPDATE epci SET nom = ${`EPCI ${charge}`} WHERE siren = (SELECT epci_siren FROM communes WHERE code_insee = '30028')`);
    for (const url of ['/logement-social/30028', '/embed/logement-social/30028', '/logement-social/30028?personnes=2&revenu=20000&annee=2026']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body, url).not.toContain('<script>alert');
      expect(r.body, url).not.toContain('<img src=x');
      expect(r.body, url).not.toMatch(/onmouseover="alert/);
      expect(r.body, url).toContain('&lt;script&gt;alert(');
      // The embed snippet offered for copying stays valid HTML once copied: the name escaped inside it too.
      if (url === '/logement-social/30028') expect(r.body).toContain('title=&quot;Le logement social à Bagnols&amp;lt;script&amp;gt;');
    }
  });

  it('aids refuse javascript: and data: addresses, from an import and from a financer', async () => {
    const admin = clients.admin!;
    const base = { slug: 'aide-xss', name: 'Aide XSS', targeted_audiences: ['commune'], perimeter: { scale: 'Département', code: '30', name: 'Gard' }, aid_types: ['Subvention'] };
    for (const adresse of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)']) {
      const r = await admin.post('/api/v1/aides/import?dry_run=true', { results: [{ ...base, origin_url: adresse }] });
      expect(r.statusCode, adresse).toBe(422);
      expect(r.json().details.erreurs).toContainEqual(expect.objectContaining({ champ: 'origin_url', message: 'adresse web attendue (http:// ou https://)' }));
      const f = await clients.financeur!.post('/api/v1/aides', { ...base, slug: undefined, application_url: adresse });
      expect(f.statusCode, `${adresse}: ${f.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(f.statusCode).toBeLessThan(500);
    }
    const ok = await admin.post('/api/v1/aides/import?dry_run=true', { results: [{ ...base, origin_url: 'https://www.exemple.fr/aide' }] });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('an SVG (scripts) is refused as an operation document, also renamed; stored <script> comes back as JSON data, never as a page', async () => {
    const bailleur = await createOrganisation(t, { type: 'bailleur', departement: '30' });
    const id = await createOperationIn(t, '30189', bailleur, { nom: '<script>alert("op")</script>' });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const etat = clients.agent_etat!;
    for (const nom of ['plan.svg', 'plan.png', 'plan.pdf']) {
      const m = multipartBody(svg, nom, { categorie: 'autre' });
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/operations/${id}/documents`, payload: m.body, headers: { 'content-type': m.contentType, cookie: etat.cookie, 'x-csrf-token': etat.csrf } });
      expect(r.statusCode, `${nom}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      expect(nonFrancais(r.json().message)).toBe(false);
    }
    const fiche = await etat.get(`/api/v1/operations/${id}`);
    expect(fiche.headers['content-type']).toMatch(/^application\/json/);
    expect(fiche.headers['x-content-type-options']).toBe('nosniff');
    expect(fiche.json().nom).toBe('<script>alert("op")</script>');
  });
});
