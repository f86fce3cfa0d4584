/**
 * Who reads an account (decision 0009): everyone their own; a State agent the accounts of their
 * département; an administrator every account (administrators sit in no département).
 */
import { sql } from 'drizzle-orm';
import { users } from '../../../db/schema.js';
import { column, definePolicy, rules } from '../../lib/policy.js';

type UserRow = typeof users.$inferSelect;

export const userPolicy = definePolicy<UserRow, 'read'>({
  introuvable: 'Utilisateur introuvable.',
  sits: {
    departement: column(sql`${users.departement}`, 'departement'),
    account: column(sql`${users.id}`, 'id', { uuid: true }),
  },
  servedOnly: false,
  actions: {
    read: {
      roles: {
        admin: rules.everything,
        agent_etat: rules.anyOf(rules.departement, rules.self),
        agent_epci: rules.self,
        commune: rules.self,
        bailleur: rules.self,
        financeur: rules.self,
        epf: rules.self,
      },
    },
  },
});
