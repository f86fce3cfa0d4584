/**
 * `npm run cli -- <command> [options]`: administration without the UI. Every write is audited under
 * the system identity "système (ligne de commande)".
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { users } from '../db/schema.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';
import { runMigrations } from './db/migrate.js';
import { DomainError, HttpError } from './lib/errors.js';
import { systemActor } from './lib/principal.js';
import { erreurTexte, type ImportErreur } from './modules/aides/aides.catalogue.js';
import { importAides } from './modules/aides/aides.import.js';
import { runAidesJobs } from './modules/aides/aides.jobs.js';
import { loadDemo } from './modules/demo/demo.loader.js';
import { importGisements } from './modules/foncier/foncier.import.js';
import { createOrganisation, organisationCreateSchema } from './modules/organisations/organisations.service.js';
import { loadDepartement } from './modules/referentiel/referentiel.loader.js';
import { importerSru, sruErreurTexte, type SruErreur } from './modules/sru/sru.import.js';
import { JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS } from '../shared/jetons.js';
import { createToken } from './modules/tokens/tokens.service.js';
import { userCreateSchema } from './modules/users/users.schema.js';
import { createUser } from './modules/users/users.service.js';
import { openDatabase } from './platform.js';

const HELP = `Atelier — commandes d'administration (npm run cli -- <commande>)

  migrate                                  applique les migrations
  referentiel:load <code> [<code>…]        charge ou met à jour les communes et EPCI d'un ou plusieurs départements
  demo:load [--force]                      crée les organisations et comptes de démonstration
                                           (refusé sur une base serveur sans --force)
  organisation:create --type T --nom N [--siren S] [--departement D] [--epci SIREN] [--commune INSEE]
  user:create --email E --nom N --role R [--organisation ID] [--departement D] [--epci SIREN]
              [--commune INSEE] [--password P]
                                           rôles : admin, agent_etat, agent_epci, commune, bailleur,
                                           financeur, epf. Sans --password, un mot de passe est généré
                                           et affiché une fois (ou aucun avec --sso-only).
  token:create --email E --nom N [--jours J]
                                           crée un jeton d'API personnel et l'affiche une fois ;
                                           il expire après J jours (90 par défaut, 365 au plus)
  aides:import <fichier.json> [--dry-run]  importe des aides au format aides-territoires (mise à jour
                                           sur le slug ; rien n'est importé si une aide est invalide)
  aides:taches                             relances des financeurs, expiration des aides, alertes
  foncier:import <fichier> [--dry-run]     importe des gisements fonciers (GeoJSON WGS84 ou Lambert-93,
                                           csv, xlsx) ; tout ou rien, erreurs listées
  sru:import <fichier.csv> [--millesime A] [--dry-run]
                                           importe l'inventaire SRU officiel (data.gouv.fr « Communes et
                                           inventaire SRU ») ; communes du territoire, tout ou rien

La base est celle de la configuration : DATABASE_URL, sinon la base embarquée dans ATELIER_DATA_DIR
(le serveur doit alors être arrêté : un seul processus par dossier de données).`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      nom: { type: 'string' },
      role: { type: 'string' },
      type: { type: 'string' },
      siren: { type: 'string' },
      organisation: { type: 'string' },
      departement: { type: 'string' },
      epci: { type: 'string' },
      commune: { type: 'string' },
      password: { type: 'string' },
      millesime: { type: 'string' },
      'sso-only': { type: 'boolean' },
      jours: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
  });
  const config = loadConfig();
  if (command === 'demo:load' && config.database.kind === 'postgres' && !values.force) {
    throw new Error('Refusé : base serveur. Les comptes de démonstration ne se créent sur un serveur qu’avec --force.');
  }
  const database = await openDatabase(config);
  const actor = systemActor('ligne de commande');
  try {
    await runMigrations(database);
    const db = database.db;
    switch (command) {
      case 'migrate':
        console.log('Migrations appliquées.');
        break;
      case 'referentiel:load': {
        const codes = positionals.length ? positionals : config.departements;
        for (const code of codes) {
          const r = await loadDepartement(db, code.toUpperCase(), actor);
          console.log(`${r.nom} (${r.departement}) : ${r.communes} communes, ${r.epci} EPCI${r.contours ? ', contours' : ', sans contours (aucun fichier livré)'}.`);
        }
        if (codes.some((c) => !config.departements.includes(c.toUpperCase()))) {
          console.log(`Pour servir ces départements, ajoutez-les à ATELIER_DEPARTEMENTS (actuellement ${config.departements.join(',')}).`);
        }
        break;
      }
      case 'demo:load': {
        const r = await loadDemo(db, config.departements);
        console.log(`Démonstration : ${r.organisations} organisations et ${r.users} comptes créés (mot de passe demo-atelier-2026).`);
        break;
      }
      case 'organisation:create': {
        const input = organisationCreateSchema.parse({
          type: values.type,
          nom: values.nom,
          siren: values.siren,
          departement: values.departement,
          epci_siren: values.epci,
          commune_insee: values.commune,
        });
        const o = await db.transaction((tx) => createOrganisation(tx, actor, config.departements, input));
        console.log(`Organisation créée : ${o.nom} (${o.type}), id ${o.id}`);
        break;
      }
      case 'user:create': {
        const generated = values.password || values['sso-only'] ? undefined : randomBytes(12).toString('base64url');
        const input = userCreateSchema.parse({
          email: values.email,
          nom: values.nom,
          role: values.role,
          organisation_id: values.organisation,
          departement: values.departement,
          epci_siren: values.epci,
          commune_insee: values.commune,
          password: values.password ?? generated,
        });
        const u = await createUser(db, actor, config.departements, input);
        console.log(`Compte créé : ${u.email} (${u.role}), id ${u.id}`);
        if (generated) console.log(`Mot de passe (affiché une seule fois) : ${generated}`);
        break;
      }
      case 'token:create': {
        const email = String(values.email ?? '').trim().toLowerCase();
        const [u] = await db.select().from(users).where(eq(users.email, email));
        if (!u) throw new Error(`Aucun compte « ${email} ».`);
        if (!values.nom) throw new Error('--nom est obligatoire (pour reconnaître le jeton).');
        const days = values.jours === undefined ? JETON_DUREE_DEFAUT_JOURS : Number(values.jours);
        if (!Number.isInteger(days) || days < 1 || days > JETON_DUREE_MAX_JOURS) throw new Error(`--jours : nombre de jours invalide « ${values.jours} » (1 à ${JETON_DUREE_MAX_JOURS}).`);
        const nom = values.nom;
        const t = await db.transaction((tx) => createToken(tx, actor, u.id, nom, days));
        console.log(`Jeton créé pour ${u.email} (${t.nom}), valable jusqu’au ${t.expires_at.slice(0, 10)}. Il ne sera plus affiché :\n${t.token}`);
        break;
      }
      case 'aides:import': {
        const file = positionals[0];
        if (!file) throw new Error('Fichier manquant : npm run cli -- aides:import <fichier.json>');
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, 'utf8'));
        } catch (e) {
          throw new Error(`Lecture de ${file} impossible : ${(e as Error).message}`);
        }
        try {
          const r = await importAides(db, json, { actor, fichier: basename(file), dryRun: Boolean(values['dry-run']) });
          console.log(`${r.dry_run ? 'Essai (rien n’est enregistré) : ' : ''}${r.aides} aides lues, ${r.creees} créées, ${r.mises_a_jour} mises à jour.`);
        } catch (e) {
          const details = (e as HttpError).details as { erreurs?: ImportErreur[] } | undefined;
          if (details?.erreurs) throw new Error(`Import refusé, aucune aide importée :\n${details.erreurs.map((x) => `- ${erreurTexte(x)}`).join('\n')}`);
          throw e;
        }
        break;
      }
      case 'aides:taches': {
        const r = await runAidesJobs(db, config);
        console.log(`Aides : ${r.expirees} expirées, ${r.relances} relances, ${r.alertes} alertes envoyées (par la file des courriels).`);
        break;
      }
      case 'sru:import': {
        const file = positionals[0];
        if (!file) throw new Error('Indiquez le fichier à importer : npm run cli -- sru:import donnees-sru.csv');
        const millesime = values.millesime ? Number(values.millesime) : undefined;
        if (millesime !== undefined && !Number.isInteger(millesime)) throw new Error(`--millesime : année invalide « ${values.millesime} ».`);
        try {
          const r = await importerSru(db, readFileSync(file), { actor, fichier: basename(file), millesime, dryRun: Boolean(values['dry-run']) });
          console.log(`${r.dry_run ? 'Essai (rien n’est enregistré) : ' : ''}inventaire SRU ${r.millesime} : ${r.lignes} communes lues, ${r.importees} du territoire importées, ${r.hors_territoire} hors territoire ignorées.`);
        } catch (e) {
          const details = (e as HttpError).details as { erreurs?: SruErreur[] } | undefined;
          if (details?.erreurs) throw new Error(`Import refusé, rien n’est importé :\n${details.erreurs.map((x) => `- ${sruErreurTexte(x)}`).join('\n')}`);
          throw e;
        }
        break;
      }
      case 'foncier:import': {
        const file = positionals[0];
        if (!file) throw new Error('Indiquez le fichier à importer : npm run cli -- foncier:import gisements.geojson');
        const r = await importGisements(db, { actor, configured: config.departements, buffer: readFileSync(file), filename: basename(file), dryRun: Boolean(values['dry-run']) });
        for (const e of r.errors) console.error(`entité ${e.feature < 0 ? '(fichier)' : e.feature} · ${e.propriete || '—'} · ${e.message}`);
        console.log(`${r.dry_run ? 'Vérification' : 'Import'} : ${r.created} créé(s), ${r.updated} mis à jour, ${r.errors.length} erreur(s)${r.errors.length ? ' : rien n’a été enregistré' : ''}.`);
        if (r.errors.length) process.exitCode = 1;
        break;
      }
      default:
        throw new Error(`Commande inconnue « ${command} ». Voir : npm run cli -- help`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ZodError) {
    console.error(`Paramètres invalides :\n${err.issues.map((i) => `- ${i.path.join('.') || 'valeur'} : ${i.message}`).join('\n')}`);
  } else if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof HttpError || err instanceof DomainError || err instanceof Error) {
    console.error(err.message);
  } else console.error(err);
  process.exit(1);
});
