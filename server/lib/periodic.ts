/**
 * One periodic job in this process: a first run shortly after start, then one every period; runs
 * never overlap (each waits for the previous), a failure is counted and logged, never thrown, and
 * the returned function stops the timers and waits for a run in progress (graceful shutdown).
 * Jobs that must run once across instances take their own advisory lock inside `run`.
 */
import { recordJobRun } from './metrics.js';

export interface PeriodicJob {
  /** The job's name in the metrics (`atelier_job_runs_total{job}`). */
  name: string;
  /** What to log when a run fails. */
  failure: string;
  firstAfterMs: number;
  everyMs: number;
  run: () => Promise<unknown>;
  log: { warn(o: object, msg: string): void };
}

export function startPeriodic(job: PeriodicJob): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running
      .then(async () => {
        if (stopped) return;
        await job.run();
        recordJobRun(job.name, 'ok');
      })
      .catch((err: unknown) => {
        recordJobRun(job.name, 'echec');
        job.log.warn({ err }, job.failure);
      });
  };
  const first = setTimeout(tick, job.firstAfterMs);
  const timer = setInterval(tick, job.everyMs);
  first.unref();
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
