/**
 * A local HTTP server that speaks the aides-territoires API contract the sync relies on (tests and
 * bench only; docs/decisions/0014). The national API is remote and cannot be reached from tests, so
 * this is the one stand-in, started for real on a free port like the SMTP sink and the OIDC
 * provider. What it answers follows MTES-MCT/aides-territoires-symfony:
 * - `POST /api/connexion/` + `X-AUTH-TOKEN`: 200 `{token}` for the known key, else 401 `{message}`
 *   (src/Security/TokenAuthenticator.php, lexik's success handler);
 * - every other `/api/` route wants `Authorization: Bearer <token>` (401 `{code, message}` else);
 * - `GET /api/perimeters/?q=&scale=` and `GET /api/aids/?perimeter_id=&organization_type_slugs=…`
 *   answer `{count, previous, next, results}`, `itemsPerPage` (or `size`) capped at 100, `next`
 *   the absolute URL with `page` + 1 (src/Controller/Api/ApiController.php);
 * - an aid is listed for a perimeter when its own perimeter contains it or lies in it
 *   (AidRepository `perimeterFromId`), here given per aid as the list of département perimeter ids
 *   it covers.
 * Faults can be scheduled per path and page: an HTTP status, or a delay longer than the client's
 * timeout.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const norm = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Starts the server on a free local port (types: aides-territoires-serveur.d.mts). */
export async function demarrerAidesTerritoires(opts = {}) {
  const cle = opts.cle ?? 'cle-de-test';
  const jetons = new Set();
  const etat = {
    cle,
    aides: [],
    perimetres: [
      { id: '70973-gard', text: 'Gard (30)', name: 'Gard', scale: 'Département', code: '30' },
      { id: '70954-herault', text: 'Hérault (34)', name: 'Hérault', scale: 'Département', code: '34' },
      { id: '71231-garonne-haute', text: 'Haute-Garonne (31)', name: 'Haute-Garonne', scale: 'Département', code: '31' },
    ],
    pannes: [],
    journal: [],
  };
  let base = '';

  const envoyer = (res, statut, body) => {
    res.writeHead(statut, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const liste = (req, items) => {
    const page = Math.max(1, Number(req.searchParams.get('page') ?? 1) || 1);
    const parPage = Math.min(100, Number(req.searchParams.get('size') ?? req.searchParams.get('itemsPerPage') ?? 50) || 50);
    const pages = Math.max(1, Math.ceil(items.length / parPage));
    const suivante = new URL(req.href);
    suivante.searchParams.set('page', String(page + 1));
    const precedente = new URL(req.href);
    precedente.searchParams.set('page', String(page - 1));
    return {
      count: items.length,
      previous: page <= 1 ? null : precedente.href,
      next: page >= pages ? null : suivante.href,
      results: items.slice((page - 1) * parPage, page * parPage),
    };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const page = Number(url.searchParams.get('page') ?? 1) || 1;
    const noter = (statut) => etat.journal.push({ methode: req.method ?? 'GET', chemin: url.pathname, page, statut });
    const panne = etat.pannes.find((p) => p.fois > 0 && p.chemin === url.pathname && (p.page ?? 1) === page);
    if (panne) {
      panne.fois--;
      // A client that gave up (its timeout) is not answered, nor noted, when the delay ends.
      let parti = false;
      res.on('close', () => {
        parti = !res.writableEnded;
      });
      if (panne.delaiMs) await new Promise((r) => setTimeout(r, panne.delaiMs));
      if (parti) return;
      if (panne.statut) {
        noter(panne.statut);
        return envoyer(res, panne.statut, { type: 'about:blank', title: 'Erreur', status: panne.statut, detail: 'panne simulée' });
      }
    }
    if (url.pathname === '/api/connexion/' && req.method === 'POST') {
      if (req.headers['x-auth-token'] !== cle) {
        noter(401);
        return envoyer(res, 401, { message: 'User not found' });
      }
      const token = `jwt-${randomBytes(12).toString('hex')}`;
      jetons.add(token);
      noter(200);
      return envoyer(res, 200, { token });
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth || !jetons.has(auth[1])) {
      noter(401);
      return envoyer(res, 401, { code: 401, message: 'JWT Token not found' });
    }
    if (url.pathname === '/api/perimeters/') {
      const q = norm(url.searchParams.get('q') ?? '');
      const scale = url.searchParams.get('scale');
      const items = etat.perimetres.filter((p) => (!q || norm(p.name).includes(q)) && (!scale || (scale === 'department' && p.scale === 'Département')));
      noter(200);
      return envoyer(res, 200, liste(url, items));
    }
    if (url.pathname === '/api/aids/') {
      const perimetre = Number.parseInt(url.searchParams.get('perimeter_id') ?? '', 10);
      const publics = url.searchParams.getAll('organization_type_slugs');
      const items = etat.aides
        .filter((a) => (!Number.isInteger(perimetre) || a.perimetres.includes(perimetre)) && (!publics.length || a.publics.some((p) => publics.includes(p))))
        .map((a) => a.aide);
      noter(200);
      return envoyer(res, 200, liste(url, items));
    }
    noter(404);
    return envoyer(res, 404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Route inconnue' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  base = `http://127.0.0.1:${port}`;
  return Object.assign(etat, {
    url: base,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The Gard's perimeter id on the local server. */
export const GARD = 70973;
export const HERAULT = 70954;

let numero = 100;

/** An upstream aid as `/api/aids/` serialises it (AidController::getResultsSpe), listed for the Gard. */
export function aideAt(n = {}, servie = {}) {
  const id = n.id ?? ++numero;
  const name = n.nom ?? n.name ?? `Aide amont numéro ${id} pour le logement social`;
  const slug = n.slug ?? `${id.toString(16)}-${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { nom: _nom, ...reste } = n;
  return {
    aide: {
      id,
      slug,
      url: `/aides/${slug}/`,
      name,
      name_initial: name,
      short_title: null,
      financers: ['Banque des Territoires'],
      financers_full: [{ id: 12, name: 'Banque des Territoires', logo: null }],
      instructors: [],
      programs: [],
      description: `<p>Financement des opérations de <strong>logement social</strong> n° ${id}.</p><ul><li>construction&nbsp;neuve</li><li>réhabilitation</li></ul>`,
      eligibility: '<p>Organismes HLM et communes.</p>',
      perimeter: 'France',
      perimeter_scale: 'Pays',
      mobilization_steps: ['Réalisation'],
      origin_url: 'https://www.banquedesterritoires.fr/',
      categories: ['Habitat / Logement'],
      is_call_for_project: false,
      application_url: null,
      targeted_audiences: ['Communes', 'Intercommunalités / Pays'],
      aid_types: ['Prêt'],
      aid_types_full: [],
      is_charged: false,
      destinations: [],
      start_date: null,
      predeposit_date: null,
      submission_deadline: null,
      subvention_rate_lower_bound: null,
      subvention_rate_upper_bound: null,
      subvention_comment: null,
      loan_amount: null,
      recoverable_advance_amount: null,
      contact: null,
      recurrence: 'Permanente',
      project_examples: null,
      import_data_url: null,
      import_data_mention: null,
      import_share_licence: null,
      date_created: '2026-01-05T10:00:00+01:00',
      date_updated: '2026-06-01T09:30:00+02:00',
      project_references: [],
      european_aid: null,
      is_live: true,
      ...reste,
    },
    perimetres: servie.perimetres ?? [GARD],
    publics: servie.publics ?? ['commune', 'epci'],
  };
}
