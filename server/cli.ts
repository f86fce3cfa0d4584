/**
 * `npm run cli -- <command> [options]`: administration without the UI. Every write is audited under
 * the system identity "système (ligne de commande)".
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { users } from '../db/schema.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError, describeOwner, lockOwner, type LockContent } from './db/lock.js';
import { runMigrations } from './db/migrate.js';
import { DomainError, HttpError } from './lib/errors.js';
import { systemActor } from './lib/principal.js';
import { erreurTexte } from './modules/aides/aides.catalogue.js';
import { erreurTexte as erreurTexteCommun, lireJson } from './lib/import/index.js';
import { importAides } from './modules/aides/aides.import.js';
import { runAidesJobs } from './modules/aides/aides.jobs.js';
import { synchroniserAides } from './modules/aides/aides.sync.js';
import { loadDemo } from './modules/demo/demo.loader.js';
import { chargerHistoireDemo } from './modules/demo/histoire.demo.js';
import { buildApp } from './app.js';
import { importGisements } from './modules/foncier/foncier.import.js';
import { createOrganisation, organisationCreateSchema } from './modules/organisations/organisations.service.js';
import { loadDepartement } from './modules/referentiel/referentiel.loader.js';
import { importerSru } from './modules/sru/sru.import.js';
import { JETON_DUREE_DEFAUT_JOURS, JETON_DUREE_MAX_JOURS } from '../shared/jetons.js';
import { createToken } from './modules/tokens/tokens.service.js';
import { userCreateSchema } from './modules/users/users.schema.js';
import { createUser } from './modules/users/users.service.js';
import { openDatabase } from './platform.js';
import { ControleInjoignable, demander } from './modules/sauvegarde/controle.js';
import { SauvegardeInvalide, verifierFichier, type Entete } from './modules/sauvegarde/sauvegarde.format.js';
import { configSauvegardes, sauvegardesDe } from './modules/sauvegarde/sauvegarde.jobs.js';
import {
  ecrireSauvegarde,
  restaurerDossier,
  restaurerPostgres,
  sauvegarderDossier,
  sauvegarderPostgres,
  versionSchema,
} from './modules/sauvegarde/sauvegarde.service.js';

const HELP = `Atelier — commandes d'administration (npm run cli -- <commande>)

  migrate                                  applique les migrations
  referentiel:load <code> [<code>…]        charge ou met à jour les communes et EPCI d'un ou plusieurs départements
  demo:load [--force] [--sans-histoire]    crée les organisations et comptes de démonstration, puis
                                           l’histoire de démonstration (opérations, revues, aides)
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
  aides:sync [--complet]                   synchronise le catalogue avec aides-territoires (aides des
                                           départements servis ; AIDES_TERRITOIRES_API_KEY requise) ;
                                           --complet réécrit toutes les aides, modifiées ou non
  foncier:import <fichier> [--dry-run]     importe des gisements fonciers (GeoJSON WGS84 ou Lambert-93,
                                           csv, xlsx) ; tout ou rien, erreurs listées
  sru:import <fichier.csv> [--millesime A] [--dry-run]
                                           importe l'inventaire SRU officiel (data.gouv.fr « Communes et
                                           inventaire SRU ») ; communes du territoire, tout ou rien

  backup <fichier>                         écrit une sauvegarde cohérente de la base, plateforme en marche ou non
                                           (embarquée : copie du dossier de données ; serveur : pg_dump)
  restore <fichier> [--force]              restaure une sauvegarde dans une base vide (dossier de données ou base
                                           DATABASE_URL) ; --force remplace une base existante (embarquée :
                                           l’ancienne est gardée à côté, pgdata.avant-restauration-…)
  status                                   état de la base : plateforme en marche (pid, port), migrations,
                                           sauvegardes programmées

La base est celle de la configuration : DATABASE_URL, sinon la base embarquée dans ATELIER_DATA_DIR.
Base embarquée : un seul processus par dossier de données. Pendant que la plateforme tourne, seules
help, backup et status fonctionnent ; les autres commandes demandent de l’arrêter.
Codes de sortie : 0 réussi, 1 échec, 2 commande ou option inconnue, 3 dossier de données occupé.`;

/**
 * What a command needs of the embedded data dir: nothing (help), to run beside the platform that
 * holds it (backup and status ask the platform through its control channel), or the dir alone.
 */
const COMMANDES: Record<string, 'aucun' | 'a_cote' | 'exclusif'> = {
  help: 'aucun',
  backup: 'a_cote',
  status: 'a_cote',
  restore: 'exclusif',
  migrate: 'exclusif',
  'referentiel:load': 'exclusif',
  'demo:load': 'exclusif',
  'organisation:create': 'exclusif',
  'user:create': 'exclusif',
  'token:create': 'exclusif',
  'aides:import': 'exclusif',
  'aides:taches': 'exclusif',
  'aides:sync': 'exclusif',
  'foncier:import': 'exclusif',
  'sru:import': 'exclusif',
};

/** Exit codes: 2 for a usage error, 3 for a data dir held by a running platform. */
class UsageError extends Error {}
class DossierOccupe extends Error {}

function occupe(command: string, dataDir: string, owner: LockContent): DossierOccupe {
  return new DossierOccupe(
    `La commande « ${command} » a besoin du dossier de données ${dataDir} pour elle seule, or la plateforme Atelier l’utilise (${describeOwner(owner)}).\n` +
      `Arrêtez-la (Ctrl+C dans son terminal, ou kill -TERM ${owner.pid}), lancez la commande, puis redémarrez la plateforme (npm start).\n` +
      'Sans l’arrêter, fonctionnent : npm run cli -- backup <fichier>, npm run cli -- status, npm run cli -- help.',
  );
}

function decrireEntete(e: Entete): string {
  const base = e.base === 'embarquee' ? 'base embarquée' : 'PostgreSQL serveur';
  return `${base} ${e.serveur}, ${e.migrations.nombre} migrations (dernière : ${e.migrations.derniere ?? 'aucune'}), ${(e.taille / 1024 / 1024).toFixed(1)} Mo, faite le ${e.cree_le}`;
}

async function backup(config: ReturnType<typeof loadConfig>, file: string | undefined): Promise<void> {
  if (!file) throw new UsageError('Indiquez le fichier à écrire : npm run cli -- backup atelier.sauvegarde');
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`${file} est un dossier : indiquez un nom de fichier.`);
  let entete: Entete;
  if (config.database.kind === 'postgres') entete = await sauvegarderPostgres(config.database.url, target);
  else {
    const dataDir = config.database.dataDir;
    const owner = lockOwner(dataDir);
    if (owner) {
      // The platform holds the dir: it writes the snapshot, we keep the bytes.
      let r: Awaited<ReturnType<typeof demander>>;
      try {
        r = await demander(dataDir, 'sauvegarde');
      } catch (err) {
        if (err instanceof ControleInjoignable) {
          throw new Error(`La plateforme (${describeOwner(owner)}) tient le dossier de données, mais ne répond pas à la demande de sauvegarde : ${err.message}.`);
        }
        throw err;
      }
      if (!r.reponse.ok) throw new Error(r.reponse.message ?? 'La plateforme a refusé la sauvegarde.');
      ecrireSauvegarde(target, r.payload);
      entete = await verifierFichier(target);
    } else entete = await sauvegarderDossier(dataDir, target);
  }
  console.log(`Sauvegarde écrite : ${target} (${decrireEntete(entete)}).`);
}

async function restore(config: ReturnType<typeof loadConfig>, file: string | undefined, force: boolean): Promise<void> {
  if (!file) throw new UsageError('Indiquez la sauvegarde à restaurer : npm run cli -- restore atelier.sauvegarde');
  const r =
    config.database.kind === 'postgres'
      ? await restaurerPostgres(config.database.url, resolve(file), { force })
      : await restaurerDossier(config.database.dataDir, resolve(file), { force });
  console.log(`Sauvegarde restaurée (${decrireEntete(r.entete)}).`);
  if (r.ancienne) console.log(`L’ancienne base est conservée dans ${r.ancienne} (à supprimer une fois la restauration vérifiée).`);
  console.log('Au prochain démarrage, la plateforme applique les migrations plus récentes que la sauvegarde.');
}

async function status(config: ReturnType<typeof loadConfig>): Promise<void> {
  if (config.database.kind === 'postgres') {
    const database = await openDatabase(config);
    try {
      const v = await versionSchema(database.db);
      console.log(`Base : PostgreSQL serveur (DATABASE_URL), ${v.nombre} migrations appliquées (dernière : ${v.derniere ?? 'aucune'}).`);
    } finally {
      await database.close();
    }
  } else {
    const dataDir = config.database.dataDir;
    const owner = lockOwner(dataDir);
    if (owner) {
      console.log(`Plateforme en marche sur ${dataDir} (${describeOwner(owner)}).`);
      try {
        const r = await demander(dataDir, 'statut', 30_000);
        const m = r.reponse.statut?.migrations;
        if (m) console.log(`Base embarquée : ${m.nombre} migrations appliquées (dernière : ${m.derniere ?? 'aucune'}).`);
      } catch (err) {
        console.log(`Canal de contrôle injoignable : ${(err as Error).message}.`);
      }
    } else if (!existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))) {
      console.log(`Aucune base embarquée dans ${dataDir} (elle sera créée au premier démarrage).`);
    } else {
      const database = await openDatabase(config);
      try {
        const v = await versionSchema(database.db);
        console.log(`Plateforme arrêtée. Base embarquée ${dataDir} : ${v.nombre} migrations appliquées (dernière : ${v.derniere ?? 'aucune'}).`);
      } finally {
        await database.close();
      }
    }
  }
  const backups = configSauvegardes();
  if (backups) {
    const list = sauvegardesDe(backups.dir);
    console.log(`Sauvegardes programmées dans ${backups.dir} (une par jour, ${backups.keep} gardées) : ${list.length ? `${list.length}, la dernière ${list[0]!.nom}` : 'aucune encore'}.`);
  } else console.log('Sauvegardes programmées : non configurées (ATELIER_BACKUP_DIR).');
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return;
  }
  if (!(command in COMMANDES)) {
    // Before any configuration is read: an unknown command touches nothing.
    throw new UsageError(`Commande inconnue « ${command} ».\n\n${HELP}`);
  }
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (err) {
    throw new UsageError(`Option invalide pour « ${command} » : ${(err as Error).message}\nVoir : npm run cli -- help`);
  }
  const { values, positionals } = parsed;
  const config = loadConfig();
  if (command === 'backup') return backup(config, positionals[0]);
  if (command === 'status') return status(config);
  if (config.database.kind === 'embedded') {
    const owner = lockOwner(config.database.dataDir);
    if (owner) throw occupe(command, config.database.dataDir, owner);
  }
  if (command === 'restore') return restore(config, positionals[0], Boolean(values.force));
  if (command === 'demo:load' && config.database.kind === 'postgres' && !values.force) {
    throw new Error('Refusé : base serveur. Les comptes de démonstration ne se créent sur un serveur qu’avec --force.');
  }
  return runCommand(command, config, values, positionals);
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
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
      'sans-histoire': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      complet: { type: 'boolean' },
    },
  });
}

async function runCommand(
  command: string,
  config: ReturnType<typeof loadConfig>,
  values: ReturnType<typeof parseOptions>['values'],
  positionals: string[],
): Promise<void> {
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
        if (values['sans-histoire']) break;
        // The story is written through the API, as the demo accounts: an app in this process, no port.
        const app = await buildApp(database, { ...config, demo: true }, { logger: false, webRoot: null });
        try {
          await app.ready();
          const h = await chargerHistoireDemo(app);
          console.log(
            h
              ? `Histoire de démonstration : ${h.operations} opérations, ${h.blocages} blocages, ${h.concertations} concertations, ${h.documents} documents, ${h.revues} revues, ${h.aides} aides, ${h.gisements_lies} gisements liés.`
              : 'Histoire de démonstration : déjà chargée, rien à faire.',
          );
        } finally {
          await app.close();
        }
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
        const u = await db.transaction((tx) => createUser(tx, actor, config.departements, input));
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
          json = lireJson(readFileSync(file));
        } catch (e) {
          throw new Error(`Lecture de ${file} impossible : ${(e as Error).message}`);
        }
        const r = await importAides(db, json, { actor, fichier: basename(file), dryRun: Boolean(values['dry-run']) });
        if (r.erreurs.length) throw new Error(`Import refusé, aucune aide importée :\n${r.erreurs.map((x) => `- ${erreurTexte(x)}`).join('\n')}`);
        console.log(`${r.dry_run ? 'Essai (rien n’est enregistré) : ' : ''}${r.aides} aides lues, ${r.creees} créées, ${r.mises_a_jour} mises à jour.`);
        break;
      }
      case 'aides:taches': {
        const r = await runAidesJobs(db, config);
        console.log(`Aides : ${r.expirees} expirées, ${r.relances} relances, ${r.alertes} alertes envoyées (par la file des courriels).`);
        break;
      }
      case 'aides:sync': {
        const r = await synchroniserAides(db, config, { actor, declencheur: 'ligne de commande', complete: Boolean(values.complet) });
        if (!r) throw new Error('Une synchronisation avec aides-territoires est déjà en cours (une autre instance) : réessayez après sa fin.');
        if (r.statut === 'echouee') throw new Error(`Synchronisation avec aides-territoires échouée, rien n’a été modifié : ${r.erreur}`);
        console.log(
          `Synchronisation ${r.mode === 'complete' ? 'complète' : 'incrémentale'} avec aides-territoires : ${r.lues} aides lues (${r.pages} pages), ${r.creees} créées, ${r.mises_a_jour} mises à jour, ` +
            `${r.retirees} retirées, ${r.inchangees} inchangées, ${r.ignorees} ignorées.`,
        );
        for (const d of r.details) console.log(`- ignorée : ${d.slug} (aides-territoires n° ${d.at_id}) : ${d.raison}`);
        break;
      }
      case 'sru:import': {
        const file = positionals[0];
        if (!file) throw new Error('Indiquez le fichier à importer : npm run cli -- sru:import donnees-sru.csv');
        const millesime = values.millesime ? Number(values.millesime) : undefined;
        if (millesime !== undefined && !Number.isInteger(millesime)) throw new Error(`--millesime : année invalide « ${values.millesime} ».`);
        const r = await importerSru(db, readFileSync(file), { actor, fichier: basename(file), millesime, dryRun: Boolean(values['dry-run']) });
        if (r.erreurs.length) throw new Error(`Import refusé, rien n’est importé :\n${r.erreurs.map((x) => `- ${erreurTexteCommun(x)}`).join('\n')}`);
        console.log(`${r.dry_run ? 'Essai (rien n’est enregistré) : ' : ''}inventaire SRU ${r.millesime} : ${r.lignes} communes lues, ${r.importees} du territoire importées, ${r.hors_territoire} hors territoire ignorées.`);
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
  if (err instanceof UsageError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof DossierOccupe) {
    console.error(err.message);
    process.exit(3);
  }
  if (err instanceof DataDirLockedError) {
    // Taken between our check and the open: the same answer.
    console.error(occupe(process.argv[2] ?? '', err.dataDir, err.owner).message);
    process.exit(3);
  }
  if (err instanceof ZodError) {
    console.error(`Paramètres invalides :\n${err.issues.map((i) => `- ${i.path.join('.') || 'valeur'} : ${i.message}`).join('\n')}`);
  } else if (err instanceof ConfigError || err instanceof SauvegardeInvalide || err instanceof HttpError || err instanceof DomainError || err instanceof Error) {
    console.error(err.message);
  } else console.error(err);
  process.exit(1);
});
