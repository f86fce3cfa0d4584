/**
 * The one way the UI talks to the server.
 * - cookies only (`credentials: 'same-origin'`): the session is an HttpOnly cookie;
 * - every non-GET request carries the CSRF token in `x-csrf-token`, fetched once from
 *   `GET /api/v1/auth/csrf` (or taken from the login answer) and refreshed once on a CSRF refusal;
 * - errors become `ApiError` with the server's French message, or a French fallback.
 */
import type { auditEntrySchema, auditPageSchema } from '../../shared/audit/audit.contract';
import type { loginSchema, meSchema } from '../../shared/auth/auth.contract';
import type { erreurSchema, Reponse } from '../../shared/contract';
import type {
  blocageSchema,
  concertationSchema,
  concertationsSchema,
  documentSchema,
  erreurImportSchema,
  evenementSchema,
  importOperationsSchema,
  ligneFinancementDtoSchema,
  logementsDtoSchema,
  operationResumeSchema,
  OperationReponse,
  operationsPageSchema,
  referentielOperationsSchema,
} from '../../shared/operations/operation.contract';
import type { organisationSchema } from '../../shared/organisations/organisation.contract';
import type { communeSchema, departementSchema, epciSchema } from '../../shared/referentiel/referentiel.contract';
import type { actionSchema, revueResumeSchema, revueSchema } from '../../shared/revues/revue.contract';
import type { tokenCreeSchema, tokenSchema } from '../../shared/tokens/token.contract';
import type { userSchema } from '../../shared/users/user.contract';

/** Error body of the API: `{ error, message, regle?, details? }` (`erreurSchema`). */
export type ApiErrorBody = Reponse<typeof erreurSchema>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.error;
    this.details = body.details;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'La demande est invalide.',
  401: 'Vous devez vous connecter pour accéder à cette ressource.',
  403: 'Vous n’avez pas les droits nécessaires pour cette action.',
  404: 'La ressource demandée est introuvable.',
  409: 'Cette action entre en conflit avec les données existantes.',
  422: 'Les données envoyées sont invalides.',
  429: 'Trop de tentatives. Veuillez patienter avant de réessayer.',
};

function fallbackMessage(status: number): string {
  return (
    FALLBACK_MESSAGES[status] ??
    (status >= 500
      ? 'Le service rencontre un problème. Veuillez réessayer plus tard.'
      : `La demande a échoué (erreur ${status}).`)
  );
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { error?: unknown }).error === 'string'
  );
}

let csrfToken: string | null = null;
let csrfPending: Promise<string | null> | null = null;

/** Remembers the token handed out by the login answer (or forgets it on sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  csrfPending = null;
}

async function getCsrfToken(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  csrfPending ??= (async () => {
    const response = await fetch('/api/v1/auth/csrf', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    // Not signed in: the request goes without a token (e.g. the login itself).
    if (!response.ok) return null;
    const body = (await response.json()) as { token?: unknown };
    csrfToken = typeof body.token === 'string' ? body.token : null;
    return csrfToken;
  })().finally(() => {
    csrfPending = null;
  });
  return csrfPending;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

async function send(method: Method, path: string, body: unknown, retried: boolean): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const multipart = body instanceof FormData;
  // A FormData body gets its multipart content-type (with the boundary) from the browser.
  if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = await getCsrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      error: 'reseau',
      message: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
    });
  }
  // A stale CSRF token (new session, server restart): fetch a fresh one and try once more.
  if (response.status === 403 && method !== 'GET' && !retried) {
    const copy = response.clone();
    const errorBody: unknown = await copy.json().catch(() => null);
    if (isErrorBody(errorBody) && errorBody.error.toLowerCase().includes('csrf')) {
      setCsrfToken(null);
      return send(method, path, body, true);
    }
  }
  return response;
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/**
 * Called when the server answers 401 to a signed-in call (session expired or revoked elsewhere),
 * so that the UI forgets the user and offers the sign-in form. Returns the unsubscribe function.
 */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const { data } = await requestWithBody<T>(method, path, body, () => false);
  return data;
}

/**
 * Sends the request; an error status throws `ApiError`, unless `accept(status, body)` says the
 * answer is a result to show (e.g. the 422 of an import, that lists the rows in error).
 */
async function requestWithBody<T>(
  method: Method,
  path: string,
  body: unknown,
  accept: (status: number, parsed: unknown) => boolean,
): Promise<{ status: number; data: T }> {
  const response = await send(method, path, body, false);
  if (response.status === 401 && path !== '/api/v1/me' && !path.startsWith('/api/v1/auth/')) {
    setCsrfToken(null);
    for (const listener of unauthorizedListeners) listener();
  }
  if (response.status === 204) return { status: 204, data: undefined as T };
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok && !accept(response.status, parsed)) {
    throw new ApiError(
      response.status,
      isErrorBody(parsed) ? parsed : { error: `http_${response.status}`, message: fallbackMessage(response.status) },
    );
  }
  return { status: response.status, data: parsed as T };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
  /**
   * POSTs a multipart form (file uploads), with the CSRF header. `accept` lets a 4xx whose body
   * is a result (not an `{ error, message }`) through instead of throwing.
   */
  upload: <T>(path: string, form: FormData, accept: (status: number, body: unknown) => boolean = () => false) =>
    requestWithBody<T>('POST', path, form, accept),
  /** POSTs a JSON body; `accept` lets a 4xx whose body is a result through (an import's refusal). */
  postResultat: <T>(path: string, body: unknown, accept: (status: number, body: unknown) => boolean) => requestWithBody<T>('POST', path, body, accept),
};

/**
 * Whether a body is an import's result (every importer answers the same shape; a refused file's 422
 * carries it too, with its `erreurs` listed).
 */
export function isImportRefuse(body: unknown): body is { erreurs: unknown[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { erreurs?: unknown }).erreurs);
}

/** The French message to show for any error thrown while calling the API. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Une erreur inattendue est survenue. Veuillez réessayer.';
}

// ---- Types of the API answers ----
// Every type comes from the server's contracts (shared/<module>/*.contract.ts, `Reponse<typeof schema>`):
// a field the server adds or renames shows here at compile time; nothing is copied by hand.

export type Me = Reponse<typeof meSchema>;
export type ScopeType = Me['scope']['type'];
export type OrganisationRef = NonNullable<Me['organisation']>;
export type LoginResponse = Reponse<typeof loginSchema>;

export type Commune = Reponse<typeof communeSchema>;
export type Epci = Reponse<typeof epciSchema>;
export type Departement = Reponse<typeof departementSchema>;

/** `{ count, results }`, the shape of every plain listing (`listeDe` in shared/contract.ts). */
export type ListResponse<T> = { count: number; results: T[] };

export type ApiToken = Reponse<typeof tokenSchema>;
export type CreatedApiToken = Reponse<typeof tokenCreeSchema>;
export type Organisation = Reponse<typeof organisationSchema>;
export type AuditEntry = Reponse<typeof auditEntrySchema>;
export type AuditPage = Reponse<typeof auditPageSchema>;
export type User = Reponse<typeof userSchema>;

// ---- Operations register ----
export type Referentiel = Reponse<typeof referentielOperationsSchema>;
export type Etape = Referentiel['etapes'][number];
export type Blocage = Reponse<typeof blocageSchema>;
export type Logements = Reponse<typeof logementsDtoSchema>;
export type LigneFinancement = Reponse<typeof ligneFinancementDtoSchema>;
export type Operation = OperationReponse;
export type OperationDocument = Reponse<typeof documentSchema>;
/** A row of the register's listing: what a list shows (the detail has the rest). */
export type OperationResume = Reponse<typeof operationResumeSchema>;
export type OperationPage = Reponse<typeof operationsPageSchema>;
export type Evenement = Reponse<typeof evenementSchema>;
export type Concertation = Reponse<typeof concertationSchema>;
export type Concertations = Reponse<typeof concertationsSchema>;

/** The one error of every import (server/lib/import/erreur.ts). */
export type ErreurImport = Reponse<typeof erreurImportSchema>;
/** What the operations import answers (its 422 included): the common result and its published English fields. */
export type ImportResult = Reponse<typeof importOperationsSchema>;

// ---- Project reviews ----
export type RevueResume = Reponse<typeof revueResumeSchema>;
export type Revue = Reponse<typeof revueSchema>;
export type RevuePoint = Revue['points'][number];
export type RevueAction = Reponse<typeof actionSchema>;
