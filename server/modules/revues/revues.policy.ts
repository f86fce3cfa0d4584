/**
 * Where a project review sits and who reads it (decision 0009): the DDTM its département, the EPCI
 * its own reviews; communes and landlords the reviews that discussed one of their operations (the
 * indicators and the CDHH report count them). Points, records, actions, agenda and minutes follow
 * their review. Alias `r` on `revues`.
 */
import { sql } from 'drizzle-orm';
import { column, computed, definePolicy, rules } from '../../lib/policy.js';

/** The columns of a review row the policy reads (see `revuePolicy.columns`). */
export interface RevuePlacement {
  departement: string;
  epci_siren: string;
  /** Communes of the operations on its agenda (computed). */
  communes_operations: string[];
  /** Landlords of the operations on its agenda (computed). */
  bailleurs_operations: string[];
}

export const revuePolicy = definePolicy<RevuePlacement, 'read'>({
  introuvable: 'Revue de projet introuvable.',
  sits: {
    departement: column('r.departement', 'departement'),
    epci: column('r.epci_siren', 'epci_siren'),
    commune: computed(
      sql`ARRAY(SELECT o.commune_insee FROM revue_points rp JOIN operations o ON o.id = rp.operation_id WHERE rp.revue_id = r.id)`,
      'communes_operations',
      { many: true },
    ),
    organisation: computed(
      sql`ARRAY(SELECT o.bailleur_id::text FROM revue_points rp JOIN operations o ON o.id = rp.operation_id WHERE rp.revue_id = r.id)`,
      'bailleurs_operations',
      { many: true },
    ),
  },
  actions: {
    read: {
      roles: {
        admin: rules.served,
        agent_etat: rules.departement,
        agent_epci: rules.epci,
        commune: rules.commune,
        bailleur: rules.organisation,
      },
    },
  },
});

/**
 * Which EPCI a principal may plan reviews for (alias `c` on the EPCI's `communes`): the DDTM those
 * with a commune in its département(s), the administrator those of the served départements.
 */
export const epciRevuePolicy = definePolicy<{ departement: string }, 'plan'>({
  introuvable: 'EPCI introuvable.',
  sits: { departement: column('c.departement', 'departement') },
  actions: { plan: { permission: 'revues:manage', roles: { admin: rules.served, agent_etat: rules.departement } } },
});
