/**
 * Who reads an audit entry (decision 0009): a State agent the entries of their département (each
 * entry records the département of the record it is about); an administrator all of them.
 */
import { sql } from 'drizzle-orm';
import { auditLog } from '../../../db/schema.js';
import { column, definePolicy, rules } from '../../lib/policy.js';

type AuditRow = typeof auditLog.$inferSelect;

export const auditPolicy = definePolicy<AuditRow, 'read'>({
  introuvable: 'Entrée du journal introuvable.',
  sits: { departement: column(sql`${auditLog.departement}`, 'departement') },
  servedOnly: false,
  actions: { read: { permission: 'audit:read', roles: { admin: rules.everything, agent_etat: rules.departement } } },
});
