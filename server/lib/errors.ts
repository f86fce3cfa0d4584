/**
 * Two families of errors and one handler (server/app.ts): domain errors carry a French message for
 * the user; HTTP errors carry a status. Routes do not catch.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'Authentification requise.') => new HttpError(401, 'non_authentifie', message);
/** Outside the user's scope a record does not exist: 404, never 403 (STYLE.md). */
export const notFound = (message = 'Ressource introuvable.') => new HttpError(404, 'introuvable', message);
export const forbidden = (message = 'Action non autorisée pour votre rôle.') => new HttpError(403, 'interdit', message);
export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'requete_invalide', message, details);
export const conflict = (message: string) => new HttpError(409, 'conflit', message);
export const unprocessable = (message: string, details?: unknown) => new HttpError(422, 'donnees_invalides', message, details);
export const tooManyRequests = (message: string) => new HttpError(429, 'trop_de_tentatives', message);

/** A business rule was broken; the message is for the user, in French. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 422,
  ) {
    super(message);
  }
}
