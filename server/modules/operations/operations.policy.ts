/**
 * Where an operation sits and who reads or edits it (decision 0009). Its documents, blockers,
 * timeline, residents' consultation, financing plan and eligible aids follow their operation.
 */
import { definePolicy, column, rules } from '../../lib/policy.js';

/** The columns of an operation row the policy reads (alias `o`). */
export interface OperationPlacement {
  departement: string;
  epci_siren: string | null;
  commune_insee: string;
  bailleur_id: string;
}

const scope = {
  admin: rules.served,
  agent_etat: rules.departement,
  agent_epci: rules.epci,
  commune: rules.commune,
  bailleur: rules.organisation,
};

export const operationPolicy = definePolicy<OperationPlacement, 'read' | 'edit'>({
  introuvable: 'Opération introuvable.',
  sits: {
    departement: column('o.departement', 'departement'),
    epci: column('o.epci_siren', 'epci_siren'),
    commune: column('o.commune_insee', 'commune_insee'),
    organisation: column('o.bailleur_id', 'bailleur_id', { uuid: true }),
  },
  actions: {
    read: { permission: 'operations:read', roles: scope },
    edit: { permission: 'operations:write', roles: scope },
  },
});
