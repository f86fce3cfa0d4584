/**
 * Every route of the OpenAPI document (GET /api/docs/json), walked generically: a new route is
 * covered the day it is added, and fails here if it forgets its permission (`x-permission`) or its
 * response schema. For each route:
 * - anonymous → 401, or for the explicit list of public routes, an answer that is neither 401/403 nor 5xx;
 * - a role lacking the permission (from shared/roles.ts) → 403;
 * - an id that does not exist in the caller's scope → 404 (routes with an id-like path parameter);
 * - a malformed body → 400/422 with a French message;
 * - never a 500.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, can, type Permission, type Role } from '../shared/roles.js';
import { COMPTE, lireRoutes, type JsonSchema, type Route } from './openapi.js';
import { createTestApp, DEMO, multipartBody, signIn, type Client, type TestContext } from './helpers.js';

/** The routes anyone may call: adding a public route means adding it here, on purpose. */
const PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/oidc/config',
  'GET /api/v1/auth/oidc/login',
  'GET /api/v1/auth/oidc/callback',
  'GET /api/v1/departements',
  'GET /api/v1/communes',
  'GET /api/v1/communes/{code}',
  'GET /api/v1/epci',
  'GET /api/v1/epci/{siren}',
  'GET /api/v1/geo/communes',
  'GET /api/v1/geo/epci',
  'GET /api/v1/operations/referentiel',
  'GET /api/v1/operations/import/template.xlsx',
  'GET /api/v1/aides/referentiel',
  'GET /api/v1/aides',
  'GET /api/aids/',
  'GET /api/aids/{slug}/',
  'GET /api/backers/',
  'GET /api/v1/aides/{slug}',
  'POST /api/v1/aides/{slug}/clic',
  'POST /api/v1/aides/eligibilite',
  'POST /api/v1/aides/alertes',
  'POST /api/v1/aides/alertes/confirmer',
  'POST /api/v1/aides/alertes/desabonner',
  'GET /api/v1/aides/vocabulaire',
  'GET /api/v1/foncier/referentiel',
  'GET /api/v1/carte/fonds',
  'GET /api/v1/foncier/gisements',
  'GET /api/v1/foncier/gisements/liste',
  'GET /api/v1/foncier/gisements/export.geojson',
  'GET /api/v1/foncier/gisements/export.csv',
  'GET /api/v1/foncier/gisements/{id}',
  'GET /api/v1/foncier/synthese',
  'GET /api/v1/foncier/synthese/export.{format}',
  'GET /api/v1/sru/communes/{code}',
  'POST /api/v1/sru/calcul',
  'GET /api/v1/sru/regles',
  'GET /api/v1/public/eligibilite',
  // The calendar feed: its secret URL is the credential (calendar applications send no session).
  'GET /api/v1/calendriers/{jeton}.ics',
]);



/** Path parameters that name a record: a value that exists nowhere answers 404. */
const ID_PARAMS = new Set(['id', 'pointId', 'actionId', 'documentId', 'blocageId', 'slug', 'code', 'siren']);

/** A value of a path parameter: a record that does not exist, or the first allowed value. */
function paramValue(name: string, schema: JsonSchema): string {
  if (schema.enum?.length) return String(schema.enum[0]);
  if (name === 'code') return '30999';
  if (name === 'siren') return '999999999';
  if (name === 'slug') return `aide-inexistante-${randomUUID().slice(0, 8)}`;
  if (name === 'annee') return '2026';
  if (schema.type === 'integer' || schema.type === 'number') return '987654321';
  return randomUUID();
}

function urlOf(r: Route): string {
  return r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = r.op.parameters?.find((x) => x.in === 'path' && x.name === name);
    return encodeURIComponent(paramValue(name, p?.schema ?? {}));
  });
}

/** A minimal valid value of a JSON schema (for the bodies of the 403/404 requests). */
function exemple(s: JsonSchema | undefined, name = ''): unknown {
  if (!s) return {};
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  if (s.anyOf?.length) return exemple(s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0], name);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = exemple(s.properties?.[k], k);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, (_, i) => (s.items?.type === 'string' ? `valeur ${i + 1}` : exemple(s.items, name)));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date') return '2026-01-15';
      if (s.format === 'date-time') return '2026-01-15T09:30:00+01:00';
      if (s.format === 'email' || /email/i.test(name)) return 'personne@exemple.fr';
      if (/insee|commune/i.test(name)) return '30189';
      if (/siren/i.test(name)) return '200066918';
      return 'x'.repeat(Math.max(s.minLength ?? 1, 12));
    }
    default:
      return {};
  }
}

const isMultipart = (r: Route) => r.op['x-multipart'] !== undefined;
const hasBody = (r: Route) => Boolean(r.op.requestBody) || isMultipart(r);

/**
 * Bodies the generic example cannot build (rules checked by the service before the record is
 * loaded): the aid edition is an aides-territoires object parsed by the catalogue reader.
 */
const CORPS: Record<string, unknown> = {
  'PATCH /api/v1/aides/{slug}': { name: 'Aide d’essai', targeted_audiences: ['commune'], perimeter: { scale: 'Département', code: '30', name: 'Gard' } },
  // The date is a string checked by a pipe (French message when empty): no `format` in the document.
  'POST /api/v1/operations/{id}/concertations': { modalite: 'reunion_publique', date: '2026-01-15', riverains_rencontres: 3 },
};
const jsonBody = (r: Route) => r.op.requestBody?.content['application/json']?.schema;

function requestOf(r: Route, body: 'valide' | 'malforme') {
  if (isMultipart(r)) {
    if (body === 'malforme') return { payload: '[]', headers: { 'content-type': 'application/json' } };
    const m = multipartBody(Buffer.from('%PDF-1.4\n% test\n'), 'essai.pdf', { categorie: 'autre' });
    return { payload: m.body, headers: { 'content-type': m.contentType } };
  }
  if (!r.op.requestBody) return { payload: undefined, headers: {} };
  const valide = r.key in CORPS ? CORPS[r.key] : exemple(jsonBody(r));
  return { payload: body === 'malforme' ? '[1, "deux"]' : JSON.stringify(valide), headers: { 'content-type': 'application/json' } };
}

let ctx: TestContext;
let routes: Route[];
let clients: Partial<Record<Role, Client>>;

async function send(r: Route, who: Client | undefined, body: 'valide' | 'malforme') {
  const req = requestOf(r, body);
  return ctx.app.inject({
    method: r.method as 'GET',
    url: urlOf(r),
    payload: req.payload,
    headers: { ...req.headers, ...(who && { cookie: who.cookie, 'x-csrf-token': who.csrf }) },
  });
}

const needed = (r: Route): Permission[] | null => {
  const x = r.op['x-permission'];
  if (x === undefined || x === 'public' || x === 'authentifie') return null;
  return typeof x === 'string' ? [x] : x;
};
/** A role (not admin) lacking every permission the route accepts. */
const roleSans = (perms: Permission[]) => ROLES.find((role) => role !== 'admin' && !perms.some((p) => can(role, p)));
/** A role holding one of them, preferring a territorial one over the administrator. */
const roleAvec = (perms: Permission[] | null) =>
  perms ? (['agent_etat', 'agent_epci', 'commune', 'bailleur', 'financeur', 'epf', 'admin'] as const).find((role) => perms.some((p) => can(role, p)))! : 'agent_etat';

beforeAll(async () => {
  ctx = await createTestApp();
  routes = await lireRoutes(ctx.app);
  clients = {};
  for (const role of ROLES) clients[role] = await signIn(ctx.app, COMPTE[role]);
}, 600_000);

afterAll(async () => {
  await ctx?.close();
});

describe('every route of the OpenAPI document', () => {
  it('is documented: more than the handful of routes of one module', () => {
    expect(routes.length).toBeGreaterThan(80);
  });

  it('declares who may call it (x-permission), and only the listed routes are public', () => {
    const sans = routes.filter((r) => r.op['x-permission'] === undefined).map((r) => r.key);
    expect(sans, 'routes without a declared permission (config.access)').toEqual([]);
    const inconnues = routes.flatMap((r) => {
      const perms = needed(r);
      return perms ? perms.filter((p) => !(PERMISSIONS as readonly string[]).includes(p)).map((p) => `${r.key}: ${p}`) : [];
    });
    expect(inconnues).toEqual([]);
    const publiques = routes.filter((r) => r.op['x-permission'] === 'public').map((r) => r.key).sort();
    expect(publiques).toEqual([...PUBLIC].sort());
  });

  it('declares the schema of its success response', () => {
    const sans = routes
      .filter((r) => {
        const ok = Object.entries(r.op.responses ?? {}).filter(([status]) => /^[23]\d\d$/.test(status));
        // A 204 has no body; any other success must say what it sends (a schema or a media type with one).
        return !ok.some(([status, resp]) => status === '204' || Object.values(resp.content ?? {}).some((c) => c.schema !== undefined));
      })
      .map((r) => r.key);
    expect(sans, 'routes without a response schema').toEqual([]);
  });

  it('answers an anonymous caller 401, or the public answer on public routes; never a 5xx', async () => {
    const ecarts: string[] = [];
    for (const r of routes) {
      const res = await send(r, undefined, 'valide');
      const publique = PUBLIC.has(r.key);
      if (res.statusCode >= 500) ecarts.push(`${r.key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (!publique && res.statusCode !== 401) ecarts.push(`${r.key}: ${res.statusCode} au lieu de 401`);
      // Signing in with unknown credentials is the one public answer that is a 401.
      else if (publique && (res.statusCode === 403 || (res.statusCode === 401 && r.key !== 'POST /api/v1/auth/login'))) ecarts.push(`${r.key}: ${res.statusCode} sur une route publique`);
    }
    expect(ecarts).toEqual([]);
  }, 600_000);

  it('answers 403 to a signed-in role without the permission, before reading the body', async () => {
    const ecarts: string[] = [];
    let verifiees = 0;
    for (const r of routes) {
      const perms = needed(r);
      const role = perms && roleSans(perms);
      if (!role) continue; // public, any signed-in user, or a permission every role holds
      verifiees++;
      const res = await send(r, clients[role], 'malforme');
      if (res.statusCode !== 403) ecarts.push(`${r.key} (${role}): ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(ecarts).toEqual([]);
    expect(verifiees).toBeGreaterThan(40);
  }, 600_000);

  it('answers 404 for a record that does not exist in the caller’s scope', async () => {
    const ecarts: string[] = [];
    let verifiees = 0;
    for (const r of routes) {
      const ids = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => ID_PARAMS.has(n));
      if (ids.length === 0) continue;
      verifiees++;
      const role = roleAvec(needed(r));
      const res = await send(r, clients[role], 'valide');
      if (res.statusCode !== 404) ecarts.push(`${r.key} (${role}): ${res.statusCode} ${res.body.slice(0, 200)}`);
      else expect(res.json<{ message: string }>().message, r.key).toMatch(/introuvable|aucun|aucune/i);
    }
    expect(ecarts).toEqual([]);
    expect(verifiees).toBeGreaterThan(30);
  }, 600_000);

  it('answers a malformed body 400/422 with a French message; never a 5xx', async () => {
    const ecarts: string[] = [];
    let verifiees = 0;
    for (const r of routes) {
      if (!hasBody(r)) continue;
      verifiees++;
      const role = roleAvec(needed(r));
      const res = await send(r, clients[role], 'malforme');
      if (res.statusCode !== 400 && res.statusCode !== 422) {
        ecarts.push(`${r.key} (${role}): ${res.statusCode} ${res.body.slice(0, 200)}`);
        continue;
      }
      const message = res.json<{ message?: string }>().message ?? '';
      if (!/[a-zà-ÿ]/i.test(message) || /\b(Invalid input|Expected|Required|received)\b/.test(message) || !/[éèàêûôç’]|\b(requête|invalide|attendu|fichier|le|la|les|du|des|dans)\b/i.test(message)) {
        ecarts.push(`${r.key}: message non français « ${message} »`);
      }
    }
    expect(ecarts).toEqual([]);
    expect(verifiees).toBeGreaterThan(25);
  }, 600_000);
});
