/**
 * Who reads an organisation (decision 0009): the organisations of one's département are the
 * directory of the actors one works with; an administrator reads all, national bodies included.
 */
import { sql } from 'drizzle-orm';
import { organisations } from '../../../db/schema.js';
import { column, definePolicy, rules } from '../../lib/policy.js';

type OrgRow = typeof organisations.$inferSelect;

const departement = rules.departement;

export const organisationPolicy = definePolicy<OrgRow, 'read'>({
  introuvable: 'Organisation introuvable.',
  sits: { departement: column(sql`${organisations.departement}`, 'departement') },
  servedOnly: false,
  actions: {
    read: {
      roles: { admin: rules.everything, agent_etat: departement, agent_epci: departement, commune: departement, bailleur: departement, financeur: departement, epf: departement },
    },
  },
});
