/**
 * Test data factories: each test file makes the records it needs, in the territory it names, so
 * that no test depends on another file's data or on the demo accounts. Records are written through
 * the services where they carry rules (operations), and directly where a service would need what a
 * test instance lacks (gisements of a département loaded without contours).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { OperationCreate } from '../shared/operations/operation.schema.js';
import type { OrganisationType, Role } from '../shared/roles.js';
import { rows } from '../server/db/client.js';
import { systemActor } from '../server/lib/principal.js';
import { hashPassword } from '../server/modules/auth/passwords.js';
import { createOperation } from '../server/modules/operations/operations.service.js';
import { loadDepartement } from '../server/modules/referentiel/referentiel.loader.js';
import { signIn, type Client, type TestContext } from './helpers.js';

const unique = () => randomBytes(4).toString('hex');
export const FACTORY_PASSWORD = 'mot-de-passe-des-tests-2026';

/** Loads a département's reference territory (COG package, no contours) if it is not loaded yet. */
export async function loadTerritoire(t: TestContext, departement: string): Promise<void> {
  const [r] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM communes WHERE departement = ${departement}`);
  if ((r?.n ?? 0) === 0) await loadDepartement(t.database.db, departement, systemActor('tests'));
}

/** A commune of the département and its EPCI (the most populated commune, for stable tests). */
export async function communeOf(t: TestContext, departement: string): Promise<{ code_insee: string; epci_siren: string; nom: string }> {
  const [c] = await rows<{ code_insee: string; epci_siren: string; nom: string }>(
    t.database.db,
    sql`SELECT code_insee, epci_siren, nom FROM communes WHERE departement = ${departement} AND epci_siren IS NOT NULL ORDER BY population DESC NULLS LAST, code_insee LIMIT 1`,
  );
  if (!c) throw new Error(`no commune loaded in ${departement}`);
  return c;
}

export async function createOrganisation(t: TestContext, o: { type: OrganisationType; departement: string | null; nom?: string; siren?: string }): Promise<string> {
  const [r] = await rows<{ id: string }>(
    t.database.db,
    sql`INSERT INTO organisations (type, nom, siren, departement) VALUES (${o.type}, ${o.nom ?? `${o.type} ${unique()}`}, ${o.siren ?? null}, ${o.departement}) RETURNING id::text`,
  );
  return r!.id;
}

export interface UserSpec {
  role: Role;
  departement?: string | null;
  epciSiren?: string | null;
  communeInsee?: string | null;
  organisationId?: string | null;
}

/** Creates an account of that role and scope, and signs it in through the real login route. */
export async function createUser(t: TestContext, u: UserSpec): Promise<Client & { id: string }> {
  const email = `${u.role}-${unique()}@tests.example`;
  const [r] = await rows<{ id: string }>(
    t.database.db,
    sql`INSERT INTO users (email, nom, password_hash, role, organisation_id, departement, epci_siren, commune_insee)
        VALUES (${email}, ${`Test ${u.role}`}, ${await hashPassword(FACTORY_PASSWORD)}, ${u.role}, ${u.organisationId ?? null}::uuid,
                ${u.departement ?? null}, ${u.epciSiren ?? null}, ${u.communeInsee ?? null}) RETURNING id::text`,
  );
  return { ...(await signIn(t.app, email, FACTORY_PASSWORD)), id: r!.id };
}

/** An operation in a commune, for a landlord, created by the register's rules (audited). */
export async function createOperationIn(t: TestContext, commune: string, bailleurId: string, over: Partial<OperationCreate> = {}): Promise<string> {
  const input = { nom: `Opération ${unique()}`, commune_insee: commune, type: 'construction_neuve', bailleur_id: bailleurId, logements: { plai: 2, plus: 4 }, annee_programmation: 2026, ...over } as OperationCreate;
  const r = await t.database.db.transaction((tx) => createOperation(tx, { actor: systemActor('tests'), configured: t.config.departements }, input));
  return r.id;
}

/**
 * A gisement placed in a commune, written directly (a département loaded from the COG package has
 * no contours, which the service's geometry checks need): a small square at (lon, lat).
 */
export async function createGisementIn(
  t: TestContext,
  g: { commune: string; lon: number; lat: number; nom?: string; visibilite?: 'prive' | 'partage' | 'public'; organisations?: string[] },
): Promise<string> {
  const d = 0.001;
  const wkt = `MULTIPOLYGON(((${g.lon} ${g.lat}, ${g.lon + d} ${g.lat}, ${g.lon + d} ${g.lat + d}, ${g.lon} ${g.lat + d}, ${g.lon} ${g.lat})))`;
  const orgs = `{${(g.organisations ?? []).join(',')}}`;
  const [r] = await rows<{ id: string }>(
    t.database.db,
    sql`INSERT INTO gisements (nom, geom, geojson, surface_m2, commune_insee, epci_siren, departement, statut, visibilite, organisations, capacite_logements)
        SELECT ${g.nom ?? `Gisement ${unique()}`}, ST_GeomFromText(${wkt}, 4326), ST_AsGeoJSON(ST_GeomFromText(${wkt}, 4326), 6),
               ST_Area(ST_GeomFromText(${wkt}, 4326)::geography), c.code_insee, c.epci_siren, c.departement, 'identifie',
               ${g.visibilite ?? 'prive'}, ${orgs}::uuid[], 10
        FROM communes c WHERE c.code_insee = ${g.commune} RETURNING id::text`,
  );
  if (!r) throw new Error(`commune ${g.commune} not loaded`);
  return r.id;
}

/** A financer's aid with a perimeter and a status, written directly (its financer's workspace is tested elsewhere). */
export async function createAideFor(
  t: TestContext,
  a: { organisationId: string | null; perimeter: { scale: string; code: string; name: string }; statut: 'brouillon' | 'en_revue' | 'publiee'; name?: string },
): Promise<string> {
  const slug = `aide-test-${unique()}`;
  await t.database.db.execute(sql`INSERT INTO aides (slug, name, perimeter_scale, perimeter_code, perimeter_name, statut, organisation_id, description, publiee_le)
      VALUES (${slug}, ${a.name ?? `Aide de test ${slug}`}, ${a.perimeter.scale}, ${a.perimeter.code}, ${a.perimeter.name}, ${a.statut}, ${a.organisationId}::uuid,
              'Aide créée par les tests.', CASE WHEN ${a.statut} = 'publiee' THEN now() END)`);
  return slug;
}
