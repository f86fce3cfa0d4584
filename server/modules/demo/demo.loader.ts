/**
 * Demo mode: fictitious organisations, clearly named as such, and one account per role, all with the
 * password below. On by default on the embedded database only (config.demo); the CLI refuses to load
 * them on a server database without an explicit flag.
 */
import { and, eq } from 'drizzle-orm';
import { organisations, users } from '../../../db/schema.js';
import type { Role } from '../../../shared/roles.js';
import type { Db } from '../../db/client.js';
import { systemActor } from '../../lib/principal.js';
import { createOrganisation, type OrganisationCreate } from '../organisations/organisations.service.js';
import { createUser } from '../users/users.service.js';
import { loadDemoFoncier } from './foncier.demo.js';

export const DEMO_PASSWORD = 'demo-atelier-2026';
const DEMO_DEPARTEMENT = '30';

const ORGS: Record<string, OrganisationCreate> = {
  etat: { type: 'etat', nom: 'DDTM du Gard (démo)', departement: DEMO_DEPARTEMENT },
  epci: { type: 'epci', nom: 'CA de Nîmes Métropole (démo)', epci_siren: '243000643', departement: DEMO_DEPARTEMENT },
  commune: { type: 'commune', nom: 'Commune de Caissargues (démo)', commune_insee: '30060', departement: DEMO_DEPARTEMENT },
  bailleur: { type: 'bailleur', nom: 'Habitat Démo Gard (bailleur fictif)', departement: DEMO_DEPARTEMENT },
  bailleur2: { type: 'bailleur', nom: 'Logis Démo Cévennes (second bailleur fictif)', departement: DEMO_DEPARTEMENT },
  financeur: { type: 'financeur', nom: 'Financeur Démo (fictif)', departement: DEMO_DEPARTEMENT },
  epf: { type: 'epf', nom: 'EPF Démo (fictif)', departement: DEMO_DEPARTEMENT },
};

const ACCOUNTS: { email: string; nom: string; role: Role; org?: keyof typeof ORGS; extra?: Record<string, string> }[] = [
  { email: 'admin@demo.test', nom: 'Alice Admin (démo)', role: 'admin' },
  { email: 'agent-etat@demo.test', nom: 'Étienne État (démo)', role: 'agent_etat', org: 'etat', extra: { departement: DEMO_DEPARTEMENT } },
  { email: 'agent-epci@demo.test', nom: 'Émilie EPCI (démo)', role: 'agent_epci', org: 'epci', extra: { epci_siren: '243000643' } },
  { email: 'commune@demo.test', nom: 'Camille Commune (démo)', role: 'commune', org: 'commune', extra: { commune_insee: '30060' } },
  { email: 'bailleur@demo.test', nom: 'Bruno Bailleur (démo)', role: 'bailleur', org: 'bailleur' },
  { email: 'bailleur2@demo.test', nom: 'Béatrice Bailleur (démo)', role: 'bailleur', org: 'bailleur2' },
  { email: 'financeur@demo.test', nom: 'Fanny Financeur (démo)', role: 'financeur', org: 'financeur' },
  { email: 'epf@demo.test', nom: 'Paul Foncier (démo)', role: 'epf', org: 'epf' },
];

/** Creates what is missing of the demo set; leaves existing accounts alone. Returns what it created. */
export async function loadDemo(db: Db, configured: string[]): Promise<{ organisations: number; users: number }> {
  if (!configured.includes(DEMO_DEPARTEMENT)) {
    throw new Error(`Les données de démonstration portent sur le Gard (30), qui n’est pas servi par cette instance (${configured.join(', ')}).`);
  }
  const actor = systemActor('données de démonstration');
  const orgIds: Record<string, string> = {};
  let createdOrgs = 0;
  for (const [key, input] of Object.entries(ORGS)) {
    const [existing] = await db
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.nom, input.nom), eq(organisations.demo, true)));
    if (existing) orgIds[key] = existing.id;
    else {
      orgIds[key] = (await db.transaction((tx) => createOrganisation(tx, actor, configured, input, { demo: true }))).id;
      createdOrgs++;
    }
  }
  let createdUsers = 0;
  for (const a of ACCOUNTS) {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, a.email));
    if (existing) continue;
    await db.transaction((tx) =>
      createUser(
        tx,
        actor,
        configured,
        { email: a.email, nom: a.nom, role: a.role, password: DEMO_PASSWORD, organisation_id: a.org ? orgIds[a.org] : undefined, ...a.extra },
        { demo: true },
      ),
    );
    createdUsers++;
  }
  await loadDemoFoncier(db, configured);
  return { organisations: createdOrgs, users: createdUsers };
}
