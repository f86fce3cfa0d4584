/** The audit log: query and response (server/modules/audit). */
import { z } from 'zod';

export const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional().describe('Pagination : identifiant en deçà duquel lire'),
  entity_type: z.string().max(50).optional(),
  entity_id: z.string().max(100).optional(),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_user_id: z.string().nullable(),
  actor_label: z.string(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  departement: z.string().nullable(),
  /** The record before and after the write (secrets masked). */
  before: z.unknown(),
  after: z.unknown(),
  request_id: z.string().nullable(),
});
export const auditPageSchema = z.object({ results: z.array(auditEntrySchema), next_before: z.number().int().nullable() });

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
