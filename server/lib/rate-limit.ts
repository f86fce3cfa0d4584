/**
 * Fixed-window counters kept in the database, so that every app instance sees the same counts.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/client.js';

function windowStart(windowMs: number, now = Date.now()): Date {
  return new Date(Math.floor(now / windowMs) * windowMs);
}

/** Current count for `key` in the current window. */
export async function peekCounter(db: Executor, key: string, windowMs: number): Promise<number> {
  const r = await rows<{ hits: number }>(
    db,
    sql`SELECT hits FROM rate_limits WHERE key = ${key} AND window_start = ${windowStart(windowMs).toISOString()}::timestamptz`,
  );
  return r[0]?.hits ?? 0;
}

/** Adds one hit to `key` and returns the new count. Old windows are swept now and then. */
export async function hitCounter(db: Executor, key: string, windowMs: number): Promise<number> {
  const start = windowStart(windowMs).toISOString();
  const r = await rows<{ hits: number }>(
    db,
    sql`INSERT INTO rate_limits (key, window_start, hits) VALUES (${key}, ${start}::timestamptz, 1)
        ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
        RETURNING hits`,
  );
  if (Math.random() < 0.01) {
    await db.execute(sql`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`);
  }
  return r[0]?.hits ?? 1;
}

export async function resetCounter(db: Executor, key: string, windowMs: number): Promise<void> {
  await db.execute(
    sql`DELETE FROM rate_limits WHERE key = ${key} AND window_start = ${windowStart(windowMs).toISOString()}::timestamptz`,
  );
}
