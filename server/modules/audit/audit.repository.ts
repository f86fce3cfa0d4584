/** Reading the audit log: one page, newest first, within the reader's département. */
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { auditLog } from '../../../db/schema.js';
import type { Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import { auditPolicy } from './audit.policy.js';

export interface AuditFilters {
  limit: number;
  before?: number;
  entity_type?: string;
  entity_id?: string;
}

export async function listAudit(db: Executor, p: Principal, configured: string[], q: AuditFilters) {
  const where: SQL[] = [auditPolicy.where('read', p, configured)];
  if (q.before) where.push(lt(auditLog.id, q.before));
  if (q.entity_type) where.push(eq(auditLog.entityType, q.entity_type));
  if (q.entity_id) where.push(eq(auditLog.entityId, q.entity_id));
  const r = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = r.slice(0, q.limit);
  return {
    results: page.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actor_user_id: e.actorUserId,
      actor_label: e.actorLabel,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      departement: e.departement,
      before: e.before,
      after: e.after,
      request_id: e.requestId,
    })),
    next_before: r.length > q.limit ? page[page.length - 1]!.id : null,
  };
}
