import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { codeInsee } from '../../../shared/identifiants.js';
import { rows } from '../../db/client.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { requirePermission } from '../../lib/principal.js';
import { readUpload } from '../../lib/upload.js';
import { importerSru, PRESENTATION_SRU } from './sru.import.js';
import { repondreImport } from '../../lib/import/index.js';

const tags = ['Loi SRU'];

export default async function sruRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database } = app;

  // The official inventory, per commune and vintage: public data (Licence Ouverte).
  app.get(
    '/api/v1/sru/communes/:code',
    { schema: { tags, summary: 'Inventaire SRU officiel d’une commune, par millésime importé', params: z.object({ code: codeInsee }) } },
    async (req) => {
      const [c] = await rows<{ nom: string }>(database.reader, sql`SELECT nom FROM communes WHERE code_insee = ${req.params.code}`);
      if (!c) throw notFound('Commune introuvable.');
      const millesimes = await rows(
        database.reader,
        sql`SELECT millesime, population, taux_sru::float8 AS taux_sru, taux_cible::float8 AS taux_cible, deficitaire, carencee, exemptee, nb_lls,
              prelevement::float8 AS prelevement, fichier, importe_le FROM communes_sru WHERE code_insee = ${req.params.code} ORDER BY millesime DESC`,
      );
      return { code_insee: req.params.code, nom: c.nom, millesimes };
    },
  );

  app.post(
    '/api/v1/sru/import',
    {
      schema: {
        tags,
        summary: 'Importer l’inventaire SRU officiel (CSV data.gouv.fr « Communes et inventaire SRU »), tout ou rien',
        querystring: z.object({
          dry_run: z.enum(['true', 'false'], 'dry_run : true ou false.').default('false'),
          millesime: z.coerce.number('Millésime : une année est attendue.').int('Millésime : une année est attendue.').min(2000, 'Millésime : 2000 au plus tôt.').max(2100, 'Millésime : 2100 au plus tard.').optional(),
        }),
      },
    },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'referentiel:manage');
      const file = await readUpload(req);
      const champ = file.fields.millesime?.trim();
      if (champ && !/^20\d\d$/.test(champ)) throw badRequest(`Millésime invalide « ${champ} » : une année est attendue (par ex. 2024).`);
      return repondreImport(req, reply, PRESENTATION_SRU, (onProgress) =>
        importerSru(database.db, file.buffer, {
          actor: { kind: 'user', principal: p },
          fichier: file.filename,
          millesime: req.query.millesime ?? (champ ? Number(champ) : undefined),
          dryRun: req.query.dry_run === 'true' || file.fields.dry_run === 'true',
          requestId: req.id,
          onProgress,
        }),
      );
    },
  );
}
