/**
 * Aids routes: public search and sheets (v1 and the aides-territoires-compatible `/api/aids/`),
 * financers' workspace, DDTM review, campaign, statistics, vocabulary, import. Declarations through
 * the route pipeline (server/lib/route.ts); the rules are in aides.service.ts, the SQL in
 * aides.repository.ts.
 */
import type { FastifyInstance } from 'fastify';
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
import { codeInsee } from '../../../shared/identifiants.js';
import { repondreImport } from '../../lib/import/index.js';
import { route } from '../../lib/route.js';
import { loadVisible } from '../operations/operations.service.js';
import { aidesEligibles, projetDeLOperation } from './aides.eligibilite.js';
import { importAides, PRESENTATION_AIDES } from './aides.import.js';
import { confirmerAlerte, demanderAlerte, supprimerAlerte } from './aides.jobs.js';
import { journalRecherches } from './aides.journal.js';
import { listeFinanceurs } from './aides.repository.js';
import {
  campagne,
  compterClic,
  confirmer,
  createAide,
  editionDepuis,
  enRevue,
  ficheAide,
  filtresDeRecherche,
  getAide,
  liensAt,
  mesAides,
  presenter,
  presenterAt,
  publier,
  rechercherAides,
  renvoyer,
  soumettre,
  statistiques,
  updateAide,
} from './aides.service.js';
import vocabulaireRoutes from './aides.vocabulaire.js';

const tags = ['Aides'];
const tagsAt = ['Compatibilité aides-territoires'];
const slugParams = z.object({ slug: z.string().min(1).max(200) });
const liste = (message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(100)).max(20, message));

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

/** Body of a financer's aid (aides-territoires field names), read by `editionDepuis`. */
const editionBody = z.record(z.string(), z.unknown());
const clicBody = z.object({ recherche_id: z.number('recherche_id : l’identifiant de la recherche (reçu avec ses résultats) est requis.').int().positive() });
const importQuery = z.object({ dry_run: z.enum(['true', 'false']).default('false'), fichier: z.string().max(200).default('import.json') });
const renvoiBody = z.object({ motif: z.string().trim().min(3, 'Motif requis (3 caractères au moins).').max(2000) });
const projetBody = z.object({
  commune: codeInsee,
  type_operation: z.enum(['construction_neuve', 'vefa', 'acquisition_amelioration', 'demolition_reconstruction', 'residence_specifique'], 'Type d’opération inconnu.'),
  produits: z.array(z.enum(PRODUITS_AIDE, `Produit inconnu (attendus : ${PRODUITS_AIDE.join(', ')}).`)).max(6).default([]),
  stade: z.enum(['conception', 'realisation', 'usage'], 'Stade : conception, realisation ou usage.').optional(),
  audience: z.enum(AUDIENCE_SLUGS).default('social-landlord'),
});
const operationParams = z.object({ id: z.uuid('Identifiant d’opération invalide.') });
const alerteBody = z.object({
  email: z.email('Adresse électronique invalide.').max(200),
  q: z.string().trim().max(300).optional(),
  audience: z.array(z.enum(AUDIENCE_SLUGS)).max(10).optional(),
  perimetre: z.string().trim().max(20).optional(),
  frequence: z.enum(['quotidienne', 'hebdomadaire'], 'Fréquence : quotidienne ou hebdomadaire.'),
});
const jetonBody = z.object({ jeton: z.string().min(10).max(100) });

export default async function aidesRoutes(app: FastifyInstance) {
  const { database, config } = app;
  const url = config.publicUrl;
  const served = config.departements;
  // The search log of this instance (rows written behind the answers), flushed before the application closes.
  const journal = journalRecherches(database.db);
  app.addHook('onClose', async () => journal.vider());
  /** The sheet presented once the write is done, in the same transaction. */
  const fiche = async (db: Parameters<typeof getAide>[0], p: Parameters<typeof getAide>[1], slug: string) => presenter(await getAide(db, p, slug, served), url);

  route(app, {
    method: 'GET', url: '/api/v1/aides/referentiel', tags, summary: 'Publics, types, produits et statuts du catalogue',
    access: 'public', response: { 200: referentielAidesSchema },
    handler: async () => ({ audiences: AUDIENCES, types_aide: AID_TYPES, types_operation: TYPES_OPERATION_AIDE, produits: PRODUITS_AIDE, conditions: CONDITIONS_TERRITORIALES, statuts: STATUTS_AIDE }),
  });

  // The search reads the replica and the instance's in-memory index; its log is written behind the answer, on the primary.
  route(app, {
    method: 'GET', url: '/api/v1/aides', tags, summary: 'Rechercher dans les aides publiées (public)',
    access: 'public', reader: true, querystring: rechercheQuery, response: { 200: rechercheAidesSchema },
    handler: async ({ db, query: q }) => {
      const filtres = await filtresDeRecherche(db, { audiences: q.audience, perimetre: q.perimetre, aidTypes: q.type_aide, categories: q.categorie, operationTypes: q.type_operation, produits: q.produit, echeanceApres: q.echeance_apres });
      const { page, limit, journal: source, q: texte, ...filtresJournal } = q;
      const r = await rechercherAides(database.db, database.reader, url, { q: texte, filtres, page, limit, source, filtresJournal, journaliser: page === 1 });
      return { ...r, page, limit };
    },
  });

  route(app, {
    method: 'GET', url: '/api/aids/', tags: tagsAt, summary: 'Recherche au format de l’API aides-territoires',
    access: 'public', reader: true, querystring: atQuery, response: { 200: rechercheAtSchema },
    handler: async ({ db, query: q }) => {
      const filtres = await filtresDeRecherche(db, { audiences: q.targeted_audiences, perimetre: q.perimeter, aidTypes: q.aid_type, categories: q.categories });
      const { page, itemsPerPage, text, ...filtresJournal } = q;
      const r = await rechercherAides(database.db, database.reader, url, { q: text, filtres, page, limit: itemsPerPage, source: 'at', filtresJournal, journaliser: page === 1 });
      return { count: r.count, ...liensAt(`${url}/api/aids/`, q, page, itemsPerPage, r.count), results: r.results.map(presenterAt) };
    },
  });

  route(app, {
    method: 'GET', url: '/api/aids/:slug/', tags: tagsAt, summary: 'Une aide au format aides-territoires',
    access: 'public', reader: true, params: slugParams, response: { 200: aideAtSchema },
    handler: async ({ db, params }) => presenterAt(presenter(await getAide(db, undefined, params.slug, served), url)),
  });

  route(app, {
    method: 'GET', url: '/api/backers/', tags: tagsAt, summary: 'Les financeurs (porteurs d’aides)',
    access: 'public', reader: true, response: { 200: backersSchema },
    handler: async ({ db }) => {
      const results = await listeFinanceurs(db);
      return { count: results.length, previous: null, next: null, results };
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/aides/:slug', tags, summary: 'Fiche d’une aide (publiée ; brouillon pour son financeur et la DDTM)',
    access: 'public', params: slugParams, response: { 200: aideSchema },
    handler: async ({ db, principal, params }) => presenter(await ficheAide(db, principal, params.slug, served), url),
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/:slug/clic', tags,
    summary: 'Compter un clic vers une aide, depuis les résultats d’une recherche de moins d’une heure (limité par adresse)',
    access: 'public', params: slugParams, body: clicBody, status: 204, response: { 204: vide },
    // Every request counts against the caller's address, accepted or refused: no transaction to roll it back
    // (the click itself is one statement).
    transaction: false,
    handler: async ({ db, params, body, req }) => {
      await compterClic(db, journal, params.slug, body.recherche_id, req.ip);
      return undefined;
    },
  });

  // ----- import
  route(app, {
    method: 'POST', url: '/api/v1/aides/import', tags, summary: 'Importer un fichier JSON au format aides-territoires (mise à jour sur le slug)',
    access: 'aides:import', bodyLimit: 50 * 1024 * 1024, querystring: importQuery, body: z.unknown(), response: { 200: importAidesSchema },
    // The import runner owns its transaction (all or nothing, dry run rolled back, progress streamed).
    transaction: false,
    handler: async ({ req, reply, principal, actor, query, body, requestId }) =>
      repondreImport(req, reply, PRESENTATION_AIDES, (onProgress) =>
        importAides(database.db, body, { actor, fichier: query.fichier, dryRun: query.dry_run === 'true', requestId, departement: principal.departement, onProgress }),
      ),
  });

  // ----- financers' workspace
  route(app, {
    method: 'GET', url: '/api/v1/aides/espace/mes-aides', tags, summary: 'Les aides de mon organisation (tous statuts), vues et clics',
    access: 'aides:write', response: { 200: mesAidesSchema },
    handler: async ({ db, principal }) => ({
      results: (await mesAides(db, principal)).map((a) => ({ ...presenter(a, url), vues: a.vues, clics: a.clics, motif_renvoi: a.motif_renvoi })),
    }),
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides', tags, summary: 'Créer une aide (brouillon) pour mon organisation ; un slug déjà pris reçoit un suffixe (-2, -3…)',
    access: 'aides:write', body: editionBody, status: 201, response: { 201: aideSchema },
    handler: async ({ db, principal, actor, body, requestId }) => {
      const slug = await createAide(db, actor, principal, editionDepuis(body), requestId);
      return fiche(db, principal, slug);
    },
  });

  route(app, {
    method: 'PATCH', url: '/api/v1/aides/:slug', tags, summary: 'Modifier une aide de mon organisation (elle redevient brouillon)',
    access: 'aides:write', params: slugParams, body: editionBody, response: { 200: aideSchema },
    handler: async ({ db, principal, actor, params, body, requestId }) => {
      await updateAide(db, actor, principal, params.slug, editionDepuis({ ...body, slug: params.slug }), requestId);
      return fiche(db, principal, params.slug);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/:slug/soumettre', tags, summary: 'Soumettre mon aide à la revue de la DDTM',
    access: 'aides:write', params: slugParams, response: { 200: aideSchema },
    handler: async ({ db, principal, actor, params, requestId }) => {
      await soumettre(db, actor, principal, params.slug, requestId);
      return fiche(db, principal, params.slug);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/:slug/confirmer', tags, summary: 'Confirmer que l’aide est à jour',
    access: ['aides:write', 'aides:review'], params: slugParams, response: { 200: aideSchema },
    handler: async ({ db, principal, actor, params, requestId }) => {
      await confirmer(db, actor, principal, served, params.slug, requestId);
      return fiche(db, principal, params.slug);
    },
  });

  // ----- DDTM review, campaign, statistics
  route(app, {
    method: 'GET', url: '/api/v1/aides/revue/en-attente', tags, summary: 'Aides soumises, en attente de revue',
    access: 'aides:review', response: { 200: aidesSchema },
    handler: async ({ db, principal }) => ({ results: (await enRevue(db, principal, served)).map((a) => presenter(a, url)) }),
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/:slug/publier', tags, summary: 'Publier une aide soumise',
    access: 'aides:review', params: slugParams, response: { 200: aideSchema },
    handler: async ({ db, principal, actor, params, requestId }) => {
      await publier(db, actor, principal, served, params.slug, requestId);
      return fiche(db, principal, params.slug);
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/:slug/renvoyer', tags, summary: 'Renvoyer une aide soumise à son financeur, avec un motif',
    access: 'aides:review', params: slugParams, body: renvoiBody, response: { 200: aideSchema },
    handler: async ({ db, principal, actor, params, body, requestId }) => {
      await renvoyer(db, actor, principal, served, params.slug, body.motif, requestId);
      return fiche(db, principal, params.slug);
    },
  });

  route(app, {
    method: 'GET', url: '/api/v1/aides/revue/campagne', tags, summary: 'Campagne : quels financeurs ont publié leurs aides',
    access: 'aides:review', response: { 200: campagneSchema },
    handler: async ({ db, principal }) => ({ results: await campagne(db, principal, served) }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/aides/revue/statistiques', tags, summary: 'Statistiques des recherches (sans données personnelles)',
    access: 'aides:review', response: { 200: statistiquesSchema },
    handler: async ({ db, principal }) => statistiques(db, journal, principal, served),
  });

  // ----- matching
  route(app, {
    method: 'POST', url: '/api/v1/aides/eligibilite', tags, summary: 'Les aides auxquelles un projet est éligible, avec les raisons et ce qui manque (public)',
    access: 'public', body: projetBody, response: { 200: eligibiliteSchema },
    // A read: no transaction, on the replica.
    transaction: false, reader: true,
    handler: async ({ db, body }) => aidesEligibles(db, url, { commune: body.commune, typeOperation: body.type_operation, produits: body.produits, stade: body.stade, audience: body.audience }),
  });

  route(app, {
    method: 'GET', url: '/api/v1/operations/:id/aides', tags, summary: 'Les aides auxquelles une opération du registre est éligible',
    access: 'operations:read', params: operationParams, response: { 200: eligibiliteOperationSchema },
    load: ({ db, principal, params }) => loadVisible(db, principal, served, params.id),
    handler: async ({ record }) => {
      const projet = projetDeLOperation(record);
      return { projet, ...(await aidesEligibles(database.reader, url, projet)) };
    },
  });

  // ----- alerts (double opt-in)
  route(app, {
    method: 'POST', url: '/api/v1/aides/alertes', tags, summary: 'S’abonner aux nouvelles aides d’une recherche (confirmation par courriel)',
    access: 'public', body: alerteBody, status: 202, response: { 202: messageSchema },
    handler: async ({ db, body, req }) => {
      await demanderAlerte(db, config, body, req.ip);
      return { message: 'Alerte enregistrée : confirmez-la avec le lien reçu par courriel.' };
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/alertes/confirmer', tags, summary: 'Confirmer une alerte (lien du courriel)',
    access: 'public', body: jetonBody, response: { 200: messageSchema },
    handler: async ({ db, body }) => {
      await confirmerAlerte(db, body.jeton);
      return { message: 'Alerte confirmée : vous recevrez les nouvelles aides correspondantes.' };
    },
  });

  route(app, {
    method: 'POST', url: '/api/v1/aides/alertes/desabonner', tags, summary: 'Supprimer une alerte (lien du courriel)',
    access: 'public', body: jetonBody, response: { 200: messageSchema },
    handler: async ({ db, body }) => {
      await supprimerAlerte(db, body.jeton);
      return { message: 'Alerte supprimée.' };
    },
  });

  await app.register(vocabulaireRoutes);
}
