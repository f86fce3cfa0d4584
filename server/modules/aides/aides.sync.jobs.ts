/**
 * The scheduled aides-territoires sync: every instance schedules it, the run's claim (an advisory
 * lock and a lease, aides.sync.ts) lets one of them run it. Without an API key nothing is scheduled.
 */
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { startPeriodic } from '../../lib/periodic.js';
import { systemActor } from '../../lib/principal.js';
import { synchroniserAides } from './aides.sync.js';

export function startAidesSyncWorker(
  db: Db,
  config: Config,
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void },
): () => Promise<void> {
  if (!config.aidesTerritoires.apiKey) {
    log.info({}, 'aides-territoires sync off: AIDES_TERRITOIRES_API_KEY is not set');
    return async () => {};
  }
  return startPeriodic({
    name: 'aides_territoires',
    failure: 'aides-territoires sync failed',
    firstAfterMs: 90_000,
    everyMs: config.aidesTerritoires.everyMs,
    log,
    run: async () => {
      const r = await synchroniserAides(db, config, { actor: systemActor('synchronisation aides-territoires'), declencheur: 'planificateur' });
      // A failed run is recorded with its French error; the periodic runner counts and logs it too.
      if (r?.statut === 'echouee') throw new Error(r.erreur ?? 'aides-territoires sync failed');
      if (r) log.info({ run: r.id, creees: r.creees, mises_a_jour: r.mises_a_jour, retirees: r.retirees, inchangees: r.inchangees, ignorees: r.ignorees }, 'aides-territoires sync done');
    },
  });
}
