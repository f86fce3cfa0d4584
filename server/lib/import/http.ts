/**
 * How every import route answers, from the runner's result:
 * - `Accept: application/x-ndjson`: 200 at once, then one JSON object per line as it happens,
 *   `{"progression":{phase,traitees,total}}`…, and last `{"resultat":…}` (or `{"erreur":"…"}` when the
 *   import failed unexpectedly; nothing was written then);
 * - otherwise 200 with the result, or 422 when the file was refused: the same result (its `erreurs`
 *   listed) plus `error`, a French `message` summing up, and `details.erreurs`, like every other 422
 *   of the API.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';
import { erreurTexte, type ErreurImport, type Libelles } from './erreur.js';
import type { Progression, ResultatImport } from './runner.js';

export interface PresentationImport {
  /** What was not written, for the refusal's message: « rien n’est importé », « aucune aide importée ». */
  rien: string;
  libelles?: Libelles;
}

/** The French summary of a refused file: the count and the first three errors. */
export function messageRefus(erreurs: ErreurImport[], p: PresentationImport): string {
  const n = erreurs.length;
  return `Import refusé : ${n} erreur${n > 1 ? 's' : ''}, ${p.rien}. ${erreurs
    .slice(0, 3)
    .map((e) => erreurTexte(e, p.libelles))
    .join(' ')}${n > 3 ? ' …' : ''}`;
}

/** The 422 body of a refused file (or the result itself when it went through). */
export function corpsImport<R extends ResultatImport>(r: R, p: PresentationImport): R | (R & { error: string; message: string; details: { erreurs: R['erreurs'] } }) {
  if (!r.erreurs.length) return r;
  return { error: 'donnees_invalides', message: messageRefus(r.erreurs, p), details: { erreurs: r.erreurs }, ...r };
}

/** Runs an import for a request and answers (JSON, or NDJSON progress as it happens). */
export async function repondreImport<R extends ResultatImport>(
  req: FastifyRequest,
  reply: FastifyReply,
  p: PresentationImport,
  lancer: (onProgress?: (pr: Progression) => void) => Promise<R>,
): Promise<FastifyReply> {
  if (!String(req.headers.accept ?? '').includes('application/x-ndjson')) {
    const r = await lancer();
    return reply.status(r.erreurs.length ? 422 : 200).send(corpsImport(r, p));
  }
  // Progress streamed on the request itself (no state kept on the instance).
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': req.id, 'x-content-type-options': 'nosniff' });
  reply.raw.flushHeaders();
  try {
    const r = await lancer((pr) => reply.raw.write(`${JSON.stringify({ progression: pr })}\n`));
    reply.raw.end(`${JSON.stringify({ resultat: corpsImport(r, p) })}\n`);
  } catch (err) {
    req.log.error({ err }, 'import failed');
    const message = err instanceof HttpError ? err.message : 'Erreur interne pendant l’import ; rien n’a été enregistré.';
    reply.raw.end(`${JSON.stringify({ erreur: message })}\n`);
  }
  return reply;
}
