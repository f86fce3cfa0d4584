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

/**
 * A business rule was broken; the message is for the user, in French. Services throw the named
 * subclasses below (or a module's own); the HTTP status of each is decided in one place, the error
 * handler of server/app.ts (`domainStatus`). The answer keeps the historical code
 * `donnees_invalides` and names the rule in `regle`.
 */
export abstract class DomainError extends Error {
  /** The rule's stable name, sent as `regle`. */
  abstract readonly regle: string;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The record's status does not allow this action (a transition missing from the table). */
export class TransitionInterdite extends DomainError {
  readonly regle = 'transition_interdite';
}

/** The field cannot change at this stage or for this role. */
export class ChampVerrouille extends DomainError {
  readonly regle = 'champ_verrouille';
}

/** The record already exists (same name, same slug, already on the agenda…). */
export class Doublon extends DomainError {
  readonly regle = 'doublon';
}

/** A referenced record (an EPCI, an operation, a commune) is not one the user may use here. */
export class ReferenceInconnue extends DomainError {
  readonly regle = 'reference_inconnue';
}

/** The values given contradict a business rule (dates, amounts, combinations). */
export class RegleMetier extends DomainError {
  readonly regle = 'regle_metier';
}

/**
 * A unique key the user typed (a gisement's `identifiant`…) is already held by another record. A
 * `Doublon` answered 409 `conflit`, the status and code these routes have always answered (server/app.ts).
 */
export class Conflit extends Doublon {}
