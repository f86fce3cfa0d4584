/**
 * The SRU computation and its rules, public (pure computation on the caller's figures, no data read
 * or written): `POST /api/v1/sru/calcul`, `GET /api/v1/sru/regles`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { calculReponse, calculRequete, reglesReponse } from '../../../shared/sru/calcul.contract.js';
import { REGLES_SRU } from '../../../shared/sru/regles.js';
import { badRequest } from '../../lib/errors.js';
import { calculer } from './sru.calcul.js';

const tags = ['Loi SRU'];

interface ErreurValidation {
  instancePath?: string;
  message?: string;
}

/**
 * Turns the schema's errors into one French message naming each commune (its code, or its rank
 * when the code itself is missing) and field.
 */
export function erreursCalcul(body: unknown, erreurs: ErreurValidation[]) {
  const communes = (body as { communes?: unknown })?.communes;
  const details = erreurs.map((e) => {
    const chemin = String(e.instancePath ?? '').split('/').filter(Boolean);
    // The schema's messages start with the field's name (for forms); the route names it already.
    const dernier = chemin[chemin.length - 1];
    const message = (e.message ?? 'valeur invalide').replace(dernier ? `${dernier} : ` : '', '');
    if (chemin[0] === 'communes' && chemin[1] !== undefined && /^\d+$/.test(chemin[1])) {
      const index = Number(chemin[1]);
      const brut = Array.isArray(communes) ? (communes[index] as Record<string, unknown> | undefined) : undefined;
      const code = typeof brut?.code_insee === 'string' ? brut.code_insee : null;
      const champ = chemin.slice(2).join('.') || '(commune)';
      const valeur = chemin.slice(2).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), brut);
      const qui = code ? `commune ${code} (n° ${index + 1})` : `commune n° ${index + 1}`;
      const recu = valeur === undefined ? 'champ manquant' : `valeur reçue : ${JSON.stringify(valeur)}`;
      return { commune: code, index, champ, message: `${qui}, champ « ${champ} » : ${message} (${recu})` };
    }
    const champ = chemin.join('.') || '(corps)';
    return { commune: null, index: null, champ, message: `champ « ${champ} » : ${message}` };
  });
  return badRequest(`Données de calcul SRU invalides — ${details.map((d) => d.message).join(' ; ')}.`, details);
}

export default async function sruCalculRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/sru/calcul',
    {
      schema: {
        tags,
        summary: 'Calculer la situation SRU de communes (taux, déficit, objectif triennal, prélèvement), au droit en vigueur ou sous un scénario de réforme',
        body: calculRequete,
        response: { 200: calculReponse },
      },
      // Computation only: nothing is written, so no CSRF token is needed for a session caller.
      config: { csrf: false, access: 'public' },
      attachValidation: true,
    },
    async (req: FastifyRequest & { validationError?: Error & { validation?: ErreurValidation[] } }) => {
      if (req.validationError) throw erreursCalcul(req.body, req.validationError.validation ?? [{ message: req.validationError.message }]);
      const { communes, scenario } = calculRequete.parse(req.body);
      return calculer(communes, scenario, new Date().getUTCFullYear());
    },
  );

  app.get(
    '/api/v1/sru/regles',
    { config: { access: 'public' }, schema: { tags, summary: 'Règles de la loi SRU utilisées par le calcul, avec leurs sources et leur statut de confirmation', response: { 200: reglesReponse } } },
    async () => ({ regles: REGLES_SRU.map((r) => ({ ...r, sources: [...r.sources] })), non_confirmees: REGLES_SRU.filter((r) => !r.confirme).length }),
  );
}
