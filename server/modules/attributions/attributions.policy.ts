/**
 * Where the attributions' records sit and who reads or edits them (decision 0009).
 *
 * A CALEOL sitting (alias `s`) sits in the communes it concerns (and their EPCI and département):
 * each of them reads it, the State its département; the landlord that holds the commission reads
 * and edits its own. A vacated dwelling (alias `l`) sits in its commune: the commune, its EPCI, the
 * State of the département and its landlord read it; the landlord edits it.
 */
import { column, definePolicy, rules } from '../../lib/policy.js';

const lecture = {
  admin: rules.served,
  agent_etat: rules.departement,
  agent_epci: rules.epci,
  commune: rules.commune,
  bailleur: rules.organisation,
};
const declaration = { admin: rules.served, bailleur: rules.organisation };

export interface SeancePlacement {
  departements: string[];
  epcis: string[];
  communes: string[];
  bailleur_id: string;
}

export const seancePolicy = definePolicy<SeancePlacement, 'read' | 'edit' | 'presence'>({
  introuvable: 'Séance de CALEOL introuvable.',
  sits: {
    departement: column('s.departements', 'departements', { many: true }),
    epci: column('s.epcis', 'epcis', { many: true }),
    commune: column('s.communes', 'communes', { many: true }),
    organisation: column('s.bailleur_id', 'bailleur_id', { uuid: true }),
  },
  actions: {
    read: { permission: 'attributions:read', roles: lecture },
    edit: { permission: 'attributions:declare', roles: declaration },
    presence: { permission: 'attributions:presence', roles: { admin: rules.served, commune: rules.commune } },
  },
});

export interface LogementPlacement {
  departement: string;
  epci_siren: string | null;
  commune_insee: string;
  bailleur_id: string;
}

export const logementLiberePolicy = definePolicy<LogementPlacement, 'read' | 'edit'>({
  introuvable: 'Logement libéré introuvable.',
  sits: {
    departement: column('l.departement', 'departement'),
    epci: column('l.epci_siren', 'epci_siren'),
    commune: column('l.commune_insee', 'commune_insee'),
    organisation: column('l.bailleur_id', 'bailleur_id', { uuid: true }),
  },
  actions: {
    read: { permission: 'attributions:read', roles: lecture },
    edit: { permission: 'attributions:declare', roles: declaration },
  },
});
