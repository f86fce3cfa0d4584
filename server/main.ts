/**
 * Entry point of `npm start`: configuration, database, HTTP server, graceful shutdown.
 */
import { ConfigError, loadConfig } from './config.js';
import { annotateLock, DataDirLockedError, lockOwner } from './db/lock.js';
import { startAidesWorker } from './modules/aides/aides.jobs.js';
import { startAidesSyncWorker } from './modules/aides/aides.sync.jobs.js';
import { startAvisLivraisons } from './modules/attributions/livraisons.avis.js';
import { startMailWorker } from './modules/mail/outbox.js';
import { startControle } from './modules/sauvegarde/controle.js';
import { configSauvegardes, startBackupWorker } from './modules/sauvegarde/sauvegarde.jobs.js';
import { chargerHistoireDemo } from './modules/demo/histoire.demo.js';
import { startPlatform } from './platform.js';

async function main() {
  const config = loadConfig();
  const backups = configSauvegardes();
  const { app, database } = await startPlatform(config);
  if (!config.mail.smtpUrl) app.log.warn('SMTP_URL is not set: e-mails stay queued in emails_sortants until it is');
  const stopMail = startMailWorker(database.db, config, app.log);
  const stopAides = startAidesWorker(database.db, config, app.log);
  const stopAidesSync = startAidesSyncWorker(database.db, config, app.log);
  const stopAvisLivraisons = startAvisLivraisons(database.db, config, app.log);
  const stopBackups = backups ? startBackupWorker(database, backups, app.log) : async () => {};
  if (backups) app.log.info({ dir: backups.dir, keep: backups.keep }, 'scheduled backups on');
  let stopControle = async () => {};

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests, then closing the database');
    const force = setTimeout(() => {
      app.log.error('shutdown took more than 15 s: exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app.close();
      await stopMail();
      await stopAides();
      await stopAidesSync();
      await stopAvisLivraisons();
      await stopBackups();
      await stopControle();
      await database.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  if (config.database.kind === 'embedded') {
    // What `npm run cli` tells an operator about the process holding the data dir, and the local
    // channel through which it asks this process for a backup (docs/decisions/0011).
    const dataDir = config.database.dataDir;
    const port = (app.server.address() as { port: number } | null)?.port ?? config.port;
    annotateLock(dataDir, { port });
    const since = lockOwner(dataDir)?.since ?? new Date().toISOString();
    stopControle = await startControle(database, dataDir, () => ({ pid: process.pid, since, port }), app.log);
  }
  if (config.demoHistoire) {
    // The demo story is written through the API once the server answers (a fresh data dir shows
    // the accounts at once, the story a few seconds later); a data dir that has it is left alone.
    chargerHistoireDemo(app)
      .then((n) => n && app.log.info(n, 'demo story loaded'))
      .catch((err: unknown) => app.log.error({ err }, 'demo story not loaded'));
  }
  const where = config.database.kind === 'embedded' ? `base embarquée ${config.database.dataDir}` : 'PostgreSQL serveur';
  console.log(`Atelier est prêt sur http://localhost:${config.port} (${where}, départements ${config.departements.join(', ')}).`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
