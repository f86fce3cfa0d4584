/**
 * Where a gisement sits and who reads or edits it (decision 0009; docs/decisions/0006 for the
 * roles). Everyone, signed in or not, reads public gisements; State agents, EPCI and communes read
 * and edit their territory; the EPF reads every served département and edits the portage fields
 * only; landlords read the gisements their organisation is linked to and those shared with the
 * landlords of their département.
 * Works on `gisements g` and on its running totals `gisements_agregats g` (same column names).
 */
import { column, definePolicy, rules } from '../../lib/policy.js';

/** The columns of a gisement row the policy reads (alias `g`). */
export interface GisementPlacement {
  departement: string;
  epci_siren: string | null;
  commune_insee: string;
  organisations: string[];
  visibilite: string;
}

const publics = rules.visibility('public');

/** Communes, EPCI and the State edit their territory. */
const territoire = {
  admin: rules.served,
  agent_etat: rules.departement,
  agent_epci: rules.epci,
  commune: rules.commune,
};

export const gisementPolicy = definePolicy<GisementPlacement, 'read' | 'edit' | 'portage'>({
  introuvable: 'Gisement introuvable.',
  sits: {
    departement: column('g.departement', 'departement'),
    epci: column('g.epci_siren', 'epci_siren'),
    commune: column('g.commune_insee', 'commune_insee'),
    links: column('g.organisations', 'organisations', { many: true, uuid: true }),
    visibility: column('g.visibilite', 'visibilite'),
  },
  actions: {
    read: {
      roles: {
        anonyme: publics,
        admin: rules.served,
        epf: rules.served,
        agent_etat: rules.anyOf(rules.departement, publics),
        agent_epci: rules.anyOf(rules.epci, publics),
        commune: rules.anyOf(rules.commune, publics),
        // Shared means shared with the landlords of its département.
        bailleur: rules.anyOf(publics, rules.linked, rules.allOf(rules.visibility('partage'), rules.departement)),
        financeur: publics,
      },
    },
    edit: { permission: 'foncier:write', roles: territoire },
    portage: { permission: 'foncier:portage', roles: { ...territoire, epf: rules.served } },
  },
});
