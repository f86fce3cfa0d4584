/**
 * A client of the aides-territoires public API, as the platform serves it (docs/decisions/0017,
 * read from MTES-MCT/aides-territoires-symfony):
 * - `POST /api/connexion/` with the account's API key in `X-AUTH-TOKEN` answers `{"token": "<JWT>"}`
 *   (valid 24 h), sent afterwards as `Authorization: Bearer <JWT>`; a refused key answers 401
 *   `{"message": …}`.
 * - Lists answer `{count, previous, next, results}`; `next` is the absolute URL of the following
 *   page (null on the last), `itemsPerPage` at most 100.
 * - `GET /api/perimeters/?q=…&scale=department` finds a département's perimeter (`id` is
 *   "<number>-<slug>", `code` its INSEE code); `GET /api/aids/?perimeter_id=<number>` lists the live
 *   aids whose perimeter contains it or lies in it, `organization_type_slugs` (repeated) their
 *   audiences.
 *
 * Every request has a timeout; network errors, timeouts, 429 and 5xx are retried with exponential
 * back-off (Retry-After when given); a 401 on a list renews the token once (it may have expired
 * during a long run). Errors carry a French message for the operator.
 */
import { setTimeout as attendre } from 'node:timers/promises';

/** A failure of the aides-territoires API, worded for the operator (French). */
export class ErreurAidesTerritoires extends Error {
  constructor(
    message: string,
    /** `cle_refusee`: the key was refused (nothing to retry); `indisponible`: still failing after the retries; `reponse`: an answer we cannot read. */
    readonly nature: 'cle_refusee' | 'indisponible' | 'reponse',
  ) {
    super(message);
    this.name = 'ErreurAidesTerritoires';
  }
}

export interface OptionsClient {
  /** The platform's address, e.g. https://aides-territoires.beta.gouv.fr (the API is under /api/). */
  url: string;
  apiKey: string;
  /** Longest wait for one answer (ms). */
  timeoutMs?: number;
  /** Attempts per request (first one included). */
  tentatives?: number;
  /** First back-off (ms), doubled at each retry. */
  attenteMs?: number;
  /** Items per page (the API caps it at 100). */
  parPage?: number;
}

/** One page of a list, as the API sends it. */
export interface PageAt<T> {
  count: number;
  previous: string | null;
  next: string | null;
  results: T[];
}

/** An aid as `/api/aids/` sends it (fields the sync reads; others pass through). */
export interface AideAt {
  id: number;
  slug: string;
  url: string | null;
  name: string;
  short_title?: string | null;
  financers?: string[];
  instructors?: string[];
  programs?: string[];
  description?: string | null;
  eligibility?: string | null;
  perimeter?: string | null;
  perimeter_scale?: string | null;
  mobilization_steps?: string[];
  origin_url?: string | null;
  categories?: string[];
  is_call_for_project?: boolean | null;
  application_url?: string | null;
  targeted_audiences?: string[];
  aid_types?: string[];
  start_date?: string | null;
  submission_deadline?: string | null;
  subvention_rate_lower_bound?: number | null;
  subvention_rate_upper_bound?: number | null;
  loan_amount?: number | null;
  recurrence?: string | null;
  date_updated?: string | null;
  is_live?: boolean;
  [autre: string]: unknown;
}

export interface PerimetreAt {
  id: string;
  text?: string;
  name: string;
  scale: string | null;
  code: string | null;
}

const RETENTABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

export class ClientAidesTerritoires {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly tentatives: number;
  private readonly attenteMs: number;
  readonly parPage: number;
  private jeton: string | undefined;
  /** Requests sent (retries included), for the run's record and the tests. */
  requetes = 0;

  constructor(private readonly opts: OptionsClient) {
    this.base = new URL(opts.url.replace(/\/*$/, '/'));
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.tentatives = opts.tentatives ?? 4;
    this.attenteMs = opts.attenteMs ?? 1_000;
    this.parPage = Math.min(opts.parPage ?? 100, 100);
  }

  /** The page of the aid on the platform, from the path the API gives (`/aides/<slug>/`). */
  pageAide(aide: Pick<AideAt, 'url' | 'slug'>): string {
    return new URL(aide.url || `/aides/${aide.slug}/`, this.base).href;
  }

  /** Exchanges the API key for a bearer token (kept for the following requests). */
  async connecter(): Promise<string> {
    const res = await this.envoyer(new URL('api/connexion/', this.base), { method: 'POST', headers: { 'X-AUTH-TOKEN': this.opts.apiKey, accept: 'application/json' } }, 'connexion');
    if (res.status === 401 || res.status === 403) {
      const detail = lireMessage(res);
      throw new ErreurAidesTerritoires(
        `La clé d’API aides-territoires est refusée (HTTP ${res.status}${detail ? ` : ${detail}` : ''}). Vérifiez AIDES_TERRITOIRES_API_KEY : ` +
          'la clé se trouve sur aides-territoires, page « Mon compte › Ma clé API » (/comptes/api-token/).',
        'cle_refusee',
      );
    }
    if (!res.ok) throw new ErreurAidesTerritoires(`aides-territoires a répondu HTTP ${res.status} à la demande de jeton (POST /api/connexion/).`, 'reponse');
    const body = lireJson(res, 'POST /api/connexion/') as { token?: unknown };
    if (typeof body.token !== 'string' || !body.token) throw new ErreurAidesTerritoires('aides-territoires n’a pas renvoyé de jeton (champ « token » absent de la réponse de /api/connexion/).', 'reponse');
    this.jeton = body.token;
    return body.token;
  }

  /** The département perimeters whose INSEE code is `code` (looked up by its name). */
  async perimetreDepartement(code: string, nom: string): Promise<PerimetreAt | undefined> {
    const url = new URL('api/perimeters/', this.base);
    url.searchParams.set('q', nom);
    url.searchParams.set('scale', 'department');
    url.searchParams.set('itemsPerPage', String(this.parPage));
    for await (const page of this.pages<PerimetreAt>(url)) {
      const p = page.results.find((r) => (r.code ?? '').toUpperCase() === code.toUpperCase());
      if (p) return p;
    }
    return undefined;
  }

  /** The live aids of a perimeter (its numeric id) for the given audiences, page by page. */
  aides(perimetreId: number, publics: readonly string[]): AsyncGenerator<PageAt<AideAt>> {
    const url = new URL('api/aids/', this.base);
    url.searchParams.set('perimeter_id', String(perimetreId));
    for (const p of publics) url.searchParams.append('organization_type_slugs', p);
    url.searchParams.set('itemsPerPage', String(this.parPage));
    return this.pages<AideAt>(url);
  }

  /**
   * Follows `next` from `premiere` to the last page. `next` must stay on the platform's origin (the
   * bearer token is never sent elsewhere), and a page never comes twice.
   */
  async *pages<T>(premiere: URL): AsyncGenerator<PageAt<T>> {
    let url: URL | null = premiere;
    const vues = new Set<string>();
    while (url) {
      if (vues.has(url.href)) throw new ErreurAidesTerritoires(`aides-territoires renvoie deux fois la même page (${url.pathname}${url.search}) : pagination interrompue.`, 'reponse');
      vues.add(url.href);
      const page = await this.lireListe<T>(url);
      yield page;
      if (!page.next) break;
      const suivante: URL = new URL(page.next, url);
      if (suivante.origin !== this.base.origin) throw new ErreurAidesTerritoires(`Lien de page suivante hors d’aides-territoires refusé : ${suivante.origin}.`, 'reponse');
      url = suivante;
    }
  }

  private async lireListe<T>(url: URL): Promise<PageAt<T>> {
    if (!this.jeton) await this.connecter();
    let res = await this.envoyer(url, { headers: { authorization: `Bearer ${this.jeton}`, accept: 'application/json' } }, 'liste');
    if (res.status === 401) {
      // The token lasts 24 h: a long run may outlive it. Renewed once; a second refusal is the key's.
      await this.connecter();
      res = await this.envoyer(url, { headers: { authorization: `Bearer ${this.jeton}`, accept: 'application/json' } }, 'liste');
    }
    const quoi = `GET ${url.pathname}${url.search}`;
    if (res.status === 401 || res.status === 403) {
      throw new ErreurAidesTerritoires(`aides-territoires refuse l’accès à ${url.pathname} avec le jeton obtenu (HTTP ${res.status}) : vérifiez les droits du compte de la clé AIDES_TERRITOIRES_API_KEY.`, 'cle_refusee');
    }
    if (!res.ok) throw new ErreurAidesTerritoires(`aides-territoires a répondu HTTP ${res.status} à ${quoi}.`, 'reponse');
    const body = lireJson(res, quoi) as Partial<PageAt<T>>;
    if (!Array.isArray(body.results) || typeof body.count !== 'number') {
      throw new ErreurAidesTerritoires(`Réponse illisible d’aides-territoires à ${quoi} : {count, next, results} attendu.`, 'reponse');
    }
    return { count: body.count, previous: body.previous ?? null, next: body.next ?? null, results: body.results };
  }

  /**
   * One request with its timeout, retried on network errors, timeouts, 429 and 5xx. Answers the
   * last response for any other status (the caller reads it), or throws `indisponible`.
   */
  private async envoyer(url: URL, init: RequestInit, quoi: string): Promise<Reponse> {
    let derniere = '';
    for (let essai = 1; ; essai++) {
      this.requetes++;
      let attente = this.attenteMs * 2 ** (essai - 1);
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
        // The body is read under the same timeout: a page that stalls halfway is retried too.
        const texte = await res.text();
        if (!RETENTABLE.has(res.status)) return { status: res.status, ok: res.ok, texte };
        derniere = `HTTP ${res.status}`;
        const apres = Number(res.headers.get('retry-after'));
        if (Number.isFinite(apres) && apres > 0) attente = Math.max(attente, Math.min(apres * 1000, 60_000));
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        derniere =
          err.name === 'TimeoutError' ? `pas de réponse en ${Math.round(this.timeoutMs / 100) / 10} s` : `erreur réseau (${err.cause?.code ?? err.message})`;
      }
      if (essai >= this.tentatives) {
        throw new ErreurAidesTerritoires(
          `aides-territoires injoignable (${quoi === 'connexion' ? 'POST /api/connexion/' : `GET ${url.pathname}${url.search}`}) : ${derniere}, après ${essai} essais. Rien n’a été modifié ; la prochaine synchronisation réessaiera.`,
          'indisponible',
        );
      }
      // Exponential back-off with a little jitter, so that several instances do not retry in step.
      await attendre(attente * (0.8 + Math.random() * 0.4));
    }
  }
}

/** An answer, read in full. */
interface Reponse {
  status: number;
  ok: boolean;
  texte: string;
}

function lireMessage(res: Reponse): string {
  try {
    const j = JSON.parse(res.texte) as { message?: unknown; detail?: unknown };
    return String(j.message ?? j.detail ?? '').slice(0, 200);
  } catch {
    return '';
  }
}

function lireJson(res: Reponse, quoi: string): unknown {
  try {
    return JSON.parse(res.texte);
  } catch {
    throw new ErreurAidesTerritoires(`Réponse illisible d’aides-territoires à ${quoi} : ce n’est pas du JSON.`, 'reponse');
  }
}
