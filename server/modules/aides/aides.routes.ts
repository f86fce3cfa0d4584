/**
 * Aids routes: public search and sheets (v1 and the aides-territoires-compatible `/api/aids/`),
 * financers' workspace, DDTM review, campaign, statistics, vocabulary, import.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AID_TYPES, AUDIENCE_SLUGS, AUDIENCES, CONDITIONS_TERRITORIALES, PRODUITS_AIDE, STATUTS_AIDE, TYPES_OPERATION_AIDE } from '../../../shared/aides/referentiel.js';
import {
  aideAtSchema,
  aideSchema,
  aidesSchema,
  backersSchema,
  campagneSchema,
  eligibiliteOperationSchema,
  eligibiliteSchema,
  importAidesSchema,
  mesAidesSchema,
  rechercheAidesSchema,
  rechercheAtSchema,
  referentielAidesSchema,
  statistiquesSchema,
} from '../../../shared/aides/aide.contract.js';
import { messageSchema, vide } from '../../../shared/contract.js';
import { rows } from '../../db/client.js';
import { forbidden, tooManyRequests, unprocessable } from '../../lib/errors.js';
import { hitCounter } from '../../lib/rate-limit.js';
import { requirePermission, requireUser } from '../../lib/principal.js';
import { can } from '../../../shared/roles.js';
import { sql } from 'drizzle-orm';
import { erreurTexte, parseCatalogue } from './aides.catalogue.js';
import { importAides, PRESENTATION_AIDES } from './aides.import.js';
import { repondreImport } from '../../lib/import/index.js';
import { perimetreCodes } from './aides.perimetre.js';
import { slugify } from './aides.repository.js';
import type { Filtres } from './aides.search.js';
import {
  campagne,
  compterClic,
  compterVue,
  confirmer,
  createAide,
  enRevue,
  getAide,
  mesAides,
  presenter,
  publier,
  rechercherAides,
  renvoyer,
  soumettre,
  statistiques,
  updateAide,
  type AideEdition,
} from './aides.service.js';
import { aidesEligibles, projetDeLOperation } from './aides.eligibilite.js';
import { journalRecherches } from './aides.journal.js';
import { confirmerAlerte, creerAlerte, supprimerAlerte } from './aides.jobs.js';
import vocabulaireRoutes from './aides.vocabulaire.js';
import { loadVisible } from '../operations/operations.service.js';
import { codeInsee } from '../../../shared/identifiants.js';

const tags = ['Aides'];
const slugParams = z.object({ slug: z.string().min(1).max(200) });
const liste = (message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(100)).max(20, message));

/** aides-territoires aid_type slugs, and our French labels. */
const AT_AID_TYPES: Record<string, string> = {
  grant: 'Subvention',
  loan: 'Prêt',
  recoverable_advance: 'Avance récupérable',
  guarantee: 'Garantie',
  technical_engineering: 'Ingénierie technique',
  financial_engineering: 'Ingénierie financière',
  other: 'Autre aide financière',
};
const aidType = (v: string) => AT_AID_TYPES[v] ?? AID_TYPES.find((t) => slugify(t) === slugify(v)) ?? v;

const rechercheQuery = z.object({
  q: z.string().trim().max(300, 'Recherche trop longue (300 caractères au plus).').optional(),
  audience: liste('Trop de publics.').pipe(z.array(z.enum(AUDIENCE_SLUGS, `Public visé inconnu (attendus : ${AUDIENCE_SLUGS.join(', ')}).`))).optional(),
  perimetre: z.string().trim().max(20).optional(),
  type_aide: liste('Trop de types d’aide.').optional(),
  type_operation: liste('Trop de types d’opération.').pipe(z.array(z.enum(TYPES_OPERATION_AIDE, `Type d’opération inconnu (attendus : ${TYPES_OPERATION_AIDE.join(', ')}).`))).optional(),
  produit: liste('Trop de produits.').pipe(z.array(z.enum(PRODUITS_AIDE, `Produit inconnu (attendus : ${PRODUITS_AIDE.join(', ')}).`))).optional(),
  categorie: liste('Trop de catégories.').optional(),
  echeance_apres: z.iso.date('echeance_apres : date AAAA-MM-JJ attendue.').optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  journal: z.enum(['ui', 'api']).default('api'),
});

const atQuery = z.object({
  text: z.string().trim().max(300).optional(),
  targeted_audiences: liste('Trop de publics.').pipe(z.array(z.enum(AUDIENCE_SLUGS, `targeted_audiences inconnu (attendus : ${AUDIENCE_SLUGS.join(', ')}).`))).optional(),
  perimeter: z.string().trim().max(20).optional(),
  aid_type: liste('Trop de types d’aide.').optional(),
  categories: liste('Trop de catégories.').optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  itemsPerPage: z.coerce.number().int().min(1).max(100).default(30),
});

/** Body of a financer's aid (aides-territoires field names). */
const editionBody = z.record(z.string(), z.unknown());

function toEdition(body: Record<string, unknown>): AideEdition {
  const item = { targeted_audiences: [], ...body, slug: typeof body.slug === 'string' ? body.slug : slugify(String(body.name ?? '')) || 'aide' };
  const { aides, erreurs } = parseCatalogue([item]);
  if (erreurs.length) throw unprocessable(`Aide invalide : ${erreurs.map(erreurTexte).join(' ')}`, { erreurs });
  const { sourceId: _s, confidence: _c, ...e } = aides[0]!;
  return { ...e, slug: typeof body.slug === 'string' ? body.slug : undefined };
}

export default async function aidesRoutes(appBase: FastifyInstance) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { database, config } = app;
  const url = config.publicUrl;
  // Search log rows still waiting are written before the application closes.
  app.addHook('onClose', async () => journalRecherches(database.db).vider());

  async function filtres(f: { audiences?: string[]; perimetre?: string; aidTypes?: string[]; categories?: string[]; operationTypes?: string[]; produits?: string[]; echeanceApres?: string }): Promise<Filtres> {
    return {
      audiences: f.audiences,
      perimetres: f.perimetre ? await perimetreCodes(database.reader, f.perimetre) : undefined,
      aidTypes: f.aidTypes?.map(aidType),
      categories: f.categories,
      operationTypes: f.operationTypes,
      produits: f.produits,
      echeanceApres: f.echeanceApres,
    };
  }

  app.get('/api/v1/aides/referentiel', { config: { access: 'public' }, schema: { tags, summary: 'Publics, types, produits et statuts du catalogue', response: { 200: referentielAidesSchema } } }, async () => ({
    audiences: AUDIENCES,
    types_aide: AID_TYPES,
    types_operation: TYPES_OPERATION_AIDE,
    produits: PRODUITS_AIDE,
    conditions: CONDITIONS_TERRITORIALES,
    statuts: STATUTS_AIDE,
  }));

  app.get('/api/v1/aides', { config: { access: 'public' }, schema: { tags, summary: 'Rechercher dans les aides publiées (public)', querystring: rechercheQuery, response: { 200: rechercheAidesSchema } } }, async (req) => {
    const q = req.query;
    const f = await filtres({ audiences: q.audience, perimetre: q.perimetre, aidTypes: q.type_aide, categories: q.categorie, operationTypes: q.type_operation, produits: q.produit, echeanceApres: q.echeance_apres });
    const { page, limit, journal, q: texte, ...journalFiltres } = q;
    const r = await rechercherAides(database.db, database.reader, url, { q: texte, filtres: f, page, limit, source: journal, filtresJournal: journalFiltres, journaliser: page === 1 });
    return { ...r, page, limit };
  });

  app.get('/api/aids/', { config: { access: 'public' }, schema: { tags: ['Compatibilité aides-territoires'], summary: 'Recherche au format de l’API aides-territoires', querystring: atQuery, response: { 200: rechercheAtSchema } } }, async (req) => {
    const q = req.query;
    const f = await filtres({ audiences: q.targeted_audiences, perimetre: q.perimeter, aidTypes: q.aid_type, categories: q.categories });
    const { page, itemsPerPage, text, ...journalFiltres } = q;
    const r = await rechercherAides(database.db, database.reader, url, { q: text, filtres: f, page, limit: itemsPerPage, source: 'at', filtresJournal: journalFiltres, journaliser: page === 1 });
    const link = (p: number) => {
      const u = new URL(`${url}/api/aids/`);
      for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (v != null && k !== 'page') u.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
      u.searchParams.set('page', String(p));
      return u.href;
    };
    return {
      count: r.count,
      previous: page > 1 ? link(page - 1) : null,
      next: page * itemsPerPage < r.count ? link(page + 1) : null,
      results: r.results.map((a) => ({ ...a, perimeter: a.perimeter.name, perimeter_scale: a.perimeter.scale, perimeter_code: a.perimeter.code })),
    };
  });

  app.get('/api/aids/:slug/', { config: { access: 'public' }, schema: { tags: ['Compatibilité aides-territoires'], summary: 'Une aide au format aides-territoires', params: slugParams, response: { 200: aideAtSchema } } }, async (req) => {
    const a = presenter(await getAide(database.reader, undefined, req.params.slug, config.departements), url);
    return { ...a, perimeter: a.perimeter.name, perimeter_scale: a.perimeter.scale, perimeter_code: a.perimeter.code };
  });

  app.get('/api/backers/', { config: { access: 'public' }, schema: { tags: ['Compatibilité aides-territoires'], summary: 'Les financeurs (porteurs d’aides)', response: { 200: backersSchema } } }, async () => {
    const r = await rows<{ id: number; name: string; slug: string; nb_aides: number }>(
      database.reader,
      sql`SELECT f.id::int AS id, f.nom AS name, f.slug, count(a.id)::int AS nb_aides FROM aides_financeurs f
          LEFT JOIN aides a ON f.nom = ANY(a.financers) AND a.statut = 'publiee' GROUP BY f.id ORDER BY f.nom`,
    );
    return { count: r.length, previous: null, next: null, results: r };
  });

  app.get('/api/v1/aides/:slug', { config: { access: 'public' }, schema: { tags, summary: 'Fiche d’une aide (publiée ; brouillon pour son financeur et la DDTM)', params: slugParams, response: { 200: aideSchema } } }, async (req) => {
    const a = await getAide(database.db, req.principal, req.params.slug, config.departements);
    if (a.statut === 'publiee' && a.organisation_id !== req.principal?.organisationId) await compterVue(database.db, a.id);
    return presenter(a, url);
  });

  app.post(
    '/api/v1/aides/:slug/clic',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Compter un clic vers une aide, depuis les résultats d’une recherche de moins d’une heure (limité par adresse)',
        params: slugParams,
        body: z.object({ recherche_id: z.number('recherche_id : l’identifiant de la recherche (reçu avec ses résultats) est requis.').int().positive() }),
        response: { 204: vide },
      },
    },
    async (req, reply) => {
      await compterClic(database.db, req.params.slug, req.body.recherche_id, req.ip);
      return reply.status(204).send();
    },
  );

  // ----- import
  app.post(
    '/api/v1/aides/import',
    { bodyLimit: 50 * 1024 * 1024, config: { access: 'aides:import' }, schema: { tags, summary: 'Importer un fichier JSON au format aides-territoires (mise à jour sur le slug)', querystring: z.object({ dry_run: z.enum(['true', 'false']).default('false'), fichier: z.string().max(200).default('import.json') }), body: z.unknown(), response: { 200: importAidesSchema } } },
    async (req, reply) => {
      const p = requirePermission(req.principal, 'aides:import');
      return repondreImport(req, reply, PRESENTATION_AIDES, (onProgress) =>
        importAides(database.db, req.body, { actor: { kind: 'user', principal: p }, fichier: req.query.fichier, dryRun: req.query.dry_run === 'true', requestId: req.id, departement: p.departement, onProgress }),
      );
    },
  );

  // ----- financers' workspace
  app.get('/api/v1/aides/espace/mes-aides', { config: { access: 'aides:write' }, schema: { tags, summary: 'Les aides de mon organisation (tous statuts), vues et clics', response: { 200: mesAidesSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'aides:write');
    return { results: (await mesAides(database.db, p)).map((a) => ({ ...presenter(a, url), vues: a.vues, clics: a.clics, motif_renvoi: a.motif_renvoi })) };
  });

  app.post('/api/v1/aides', { config: { access: 'aides:write' }, schema: { tags, summary: 'Créer une aide (brouillon) pour mon organisation ; un slug déjà pris reçoit un suffixe (-2, -3…)', body: editionBody, response: { 201: aideSchema } } }, async (req, reply) => {
    const p = requirePermission(req.principal, 'aides:write');
    const e = toEdition(req.body);
    const slug = await database.db.transaction((tx) => createAide(tx, { kind: 'user', principal: p }, p, e, req.id));
    return reply.status(201).send(presenter(await getAide(database.db, p, slug, config.departements), url));
  });

  app.patch('/api/v1/aides/:slug', { config: { access: 'aides:write' }, schema: { tags, summary: 'Modifier une aide de mon organisation (elle redevient brouillon)', params: slugParams, body: editionBody, response: { 200: aideSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'aides:write');
    const e = toEdition({ ...req.body, slug: req.params.slug });
    await database.db.transaction((tx) => updateAide(tx, { kind: 'user', principal: p }, p, req.params.slug, e, req.id));
    return presenter(await getAide(database.db, p, req.params.slug, config.departements), url);
  });

  app.post('/api/v1/aides/:slug/soumettre', { config: { access: 'aides:write' }, schema: { tags, summary: 'Soumettre mon aide à la revue de la DDTM', params: slugParams, response: { 200: aideSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'aides:write');
    await database.db.transaction((tx) => soumettre(tx, { kind: 'user', principal: p }, p, req.params.slug, req.id));
    return presenter(await getAide(database.db, p, req.params.slug, config.departements), url);
  });

  app.post('/api/v1/aides/:slug/confirmer', { config: { access: ['aides:write', 'aides:review'] }, schema: { tags, summary: 'Confirmer que l’aide est à jour', params: slugParams, response: { 200: aideSchema } } }, async (req) => {
    const principal = requireUser(req.principal);
    if (!can(principal.role, 'aides:write') && !can(principal.role, 'aides:review')) throw forbidden();
    await database.db.transaction((tx) => confirmer(tx, { kind: 'user', principal }, principal, config.departements, req.params.slug, req.id));
    return presenter(await getAide(database.db, principal, req.params.slug, config.departements), url);
  });

  // ----- DDTM review, campaign, statistics
  app.get('/api/v1/aides/revue/en-attente', { config: { access: 'aides:review' }, schema: { tags, summary: 'Aides soumises, en attente de revue', response: { 200: aidesSchema } } }, async (req) => {
    return { results: (await enRevue(database.db, requirePermission(req.principal, 'aides:review'), config.departements)).map((a) => presenter(a, url)) };
  });

  app.post('/api/v1/aides/:slug/publier', { config: { access: 'aides:review' }, schema: { tags, summary: 'Publier une aide soumise', params: slugParams, response: { 200: aideSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'aides:review');
    await database.db.transaction((tx) => publier(tx, { kind: 'user', principal: p }, p, config.departements, req.params.slug, req.id));
    return presenter(await getAide(database.db, p, req.params.slug, config.departements), url);
  });

  app.post(
    '/api/v1/aides/:slug/renvoyer',
    { config: { access: 'aides:review' }, schema: { tags, summary: 'Renvoyer une aide soumise à son financeur, avec un motif', params: slugParams, body: z.object({ motif: z.string().trim().min(3, 'Motif requis (3 caractères au moins).').max(2000) }), response: { 200: aideSchema } } },
    async (req) => {
      const p = requirePermission(req.principal, 'aides:review');
      await database.db.transaction((tx) => renvoyer(tx, { kind: 'user', principal: p }, p, config.departements, req.params.slug, req.body.motif, req.id));
      return presenter(await getAide(database.db, p, req.params.slug, config.departements), url);
    },
  );

  app.get('/api/v1/aides/revue/campagne', { config: { access: 'aides:review' }, schema: { tags, summary: 'Campagne : quels financeurs ont publié leurs aides', response: { 200: campagneSchema } } }, async (req) => {
    return { results: await campagne(database.db, requirePermission(req.principal, 'aides:review'), config.departements) };
  });

  app.get('/api/v1/aides/revue/statistiques', { config: { access: 'aides:review' }, schema: { tags, summary: 'Statistiques des recherches (sans données personnelles)', response: { 200: statistiquesSchema } } }, async (req) => {
    return statistiques(database.db, requirePermission(req.principal, 'aides:review'), config.departements);
  });

  // ----- matching
  const projetBody = z.object({
    commune: codeInsee,
    type_operation: z.enum(['construction_neuve', 'vefa', 'acquisition_amelioration', 'demolition_reconstruction', 'residence_specifique'], 'Type d’opération inconnu.'),
    produits: z.array(z.enum(PRODUITS_AIDE, `Produit inconnu (attendus : ${PRODUITS_AIDE.join(', ')}).`)).max(6).default([]),
    stade: z.enum(['conception', 'realisation', 'usage'], 'Stade : conception, realisation ou usage.').optional(),
    audience: z.enum(AUDIENCE_SLUGS).default('social-landlord'),
  });
  app.post('/api/v1/aides/eligibilite', { config: { access: 'public' }, schema: { tags, summary: 'Les aides auxquelles un projet est éligible, avec les raisons et ce qui manque (public)', body: projetBody, response: { 200: eligibiliteSchema } } }, async (req) =>
    aidesEligibles(database.reader, url, { commune: req.body.commune, typeOperation: req.body.type_operation, produits: req.body.produits, stade: req.body.stade, audience: req.body.audience }),
  );
  app.get('/api/v1/operations/:id/aides', { config: { access: 'operations:read' }, schema: { tags, summary: 'Les aides auxquelles une opération du registre est éligible', params: z.object({ id: z.uuid('Identifiant d’opération invalide.') }), response: { 200: eligibiliteOperationSchema } } }, async (req) => {
    const p = requirePermission(req.principal, 'operations:read');
    const o = await loadVisible(database.db, p, config.departements, req.params.id);
    const projet = projetDeLOperation(o);
    return { projet, ...(await aidesEligibles(database.reader, url, projet)) };
  });

  // ----- alerts (double opt-in)
  app.post(
    '/api/v1/aides/alertes',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'S’abonner aux nouvelles aides d’une recherche (confirmation par courriel)',
        response: { 202: messageSchema },
        body: z.object({
          email: z.email('Adresse électronique invalide.').max(200),
          q: z.string().trim().max(300).optional(),
          audience: z.array(z.enum(AUDIENCE_SLUGS)).max(10).optional(),
          perimetre: z.string().trim().max(20).optional(),
          frequence: z.enum(['quotidienne', 'hebdomadaire'], 'Fréquence : quotidienne ou hebdomadaire.'),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      // The confirmation goes to any address typed: bounded per address and per client.
      const heure = 3_600_000;
      if ((await hitCounter(database.db, `aides-alerte:${b.email.toLowerCase()}`, heure)) > 3 || (await hitCounter(database.db, `aides-alerte-ip:${req.ip}`, heure)) > 20) {
        throw tooManyRequests('Trop de demandes d’alerte : réessayez dans une heure.');
      }
      const f = await filtres({ audiences: b.audience, perimetre: b.perimetre });
      const libelle = [b.q ? `« ${b.q} »` : 'toutes les aides', b.audience?.length ? `publics : ${b.audience.join(', ')}` : null, b.perimetre ? `périmètre ${b.perimetre}` : null].filter(Boolean).join(', ');
      await creerAlerte(database.db, config, b.email, { q: b.q, filtres: f, libelle }, b.frequence);
      return reply.status(202).send({ message: 'Alerte enregistrée : confirmez-la avec le lien reçu par courriel.' });
    },
  );
  const jetonBody = z.object({ jeton: z.string().min(10).max(100) });
  app.post('/api/v1/aides/alertes/confirmer', { config: { access: 'public' }, schema: { tags, summary: 'Confirmer une alerte (lien du courriel)', body: jetonBody, response: { 200: messageSchema } } }, async (req) => {
    await confirmerAlerte(database.db, req.body.jeton);
    return { message: 'Alerte confirmée : vous recevrez les nouvelles aides correspondantes.' };
  });
  app.post('/api/v1/aides/alertes/desabonner', { config: { access: 'public' }, schema: { tags, summary: 'Supprimer une alerte (lien du courriel)', body: jetonBody, response: { 200: messageSchema } } }, async (req) => {
    await supprimerAlerte(database.db, req.body.jeton);
    return { message: 'Alerte supprimée.' };
  });

  await app.register(vocabulaireRoutes);
}
