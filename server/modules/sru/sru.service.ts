/** The SRU inventory's rules: a commune's public facts; the import form's vintage field. */
import type { Executor } from '../../db/client.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { communeNom, millesimesSru } from './sru.repository.js';

/** A commune's official SRU facts, every imported vintage (public data, Licence Ouverte). */
export async function sruCommune(db: Executor, code: string) {
  const nom = await communeNom(db, code);
  if (nom === undefined) throw notFound('Commune introuvable.');
  return { code_insee: code, nom, millesimes: await millesimesSru(db, code) };
}

/** The vintage of an import: the query wins, then the form field, which must be a year. */
export function millesimeDemande(query: number | undefined, champ: string | undefined): number | undefined {
  const texte = champ?.trim();
  if (texte && !/^20\d\d$/.test(texte)) throw badRequest(`Millésime invalide « ${texte} » : une année est attendue (par ex. 2024).`);
  return query ?? (texte ? Number(texte) : undefined);
}
