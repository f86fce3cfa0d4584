/**
 * Every write goes through `recordAudit`, in the same transaction as the write: who, when, which
 * record, before and after.
 */
import { auditLog } from '../../db/schema.js';
import type { Executor } from '../db/client.js';
import type { Actor } from './principal.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  departement?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Fields never copied into the log. */
const SECRET_FIELDS = new Set(['passwordHash', 'password_hash', 'password', 'tokenHash', 'token_hash', 'token', 'csrfToken', 'idToken']);

function redact(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_FIELDS.has(k) ? (v == null ? null : '[masqué]') : redact(v);
    }
    return out;
  }
  return value;
}

export async function recordAudit(executor: Executor, actor: Actor, entry: AuditEntry, requestId?: string): Promise<void> {
  await recordAuditMany(executor, actor, [entry], requestId);
}

/** Several entries in one statement (bulk writes such as imports: one entry per record still). */
export async function recordAuditMany(executor: Executor, actor: Actor, entries: AuditEntry[], requestId?: string): Promise<void> {
  if (entries.length === 0) return;
  await executor.insert(auditLog).values(
    entries.map((entry) => ({
      actorUserId: actor.kind === 'user' ? actor.principal.userId : null,
      actorLabel: actor.kind === 'user' ? actor.principal.email : actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      departement: entry.departement ?? (actor.kind === 'user' ? actor.principal.departement : null),
      before: redact(entry.before),
      after: redact(entry.after),
      requestId: requestId ?? null,
    })),
  );
}
