/**
 * GeoJSON export of the gisements in scope, with the import's property names (re-importable: the
 * `identifiant`, else the geometry, makes a re-import update them).
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import { filtersSql, type GisementFilters } from './foncier.repository.js';
import { gisementPolicy } from './gisements.policy.js';

export async function gisementsGeoJson(db: Executor, p: Principal | undefined, configured: string[], f: GisementFilters): Promise<string> {
  const where = sql.join([gisementPolicy.where('read', p, configured), ...filtersSql(f)], sql` AND `);
  const [r] = await rows<{ fc: string }>(
    db,
    sql`SELECT '{"type":"FeatureCollection","features":[' || COALESCE(string_agg(
              '{"type":"Feature","id":"' || g.id || '","geometry":' || g.geojson || ',"properties":' ||
              json_strip_nulls(json_build_object(
                'id', g.id, 'identifiant', g.identifiant, 'nom', g.nom, 'commune', g.commune_insee, 'epci', g.epci_siren,
                'surface_m2', round(g.surface_m2::numeric), 'references_cadastrales', g.references_cadastrales,
                'usage_actuel', g.usage_actuel, 'proprietaire', g.proprietaire, 'capacite_logements', g.capacite_logements,
                'capacite_lls', g.capacite_lls, 'statut', g.statut, 'outils', g.outils, 'taux_sms', g.taux_sms, 'contraintes', g.contraintes,
                'epf_convention', g.epf_convention, 'epf_date_acquisition', g.epf_date_acquisition, 'epf_date_revente_prevue', g.epf_date_revente_prevue,
                'epf_prix', g.epf_prix, 'visibilite', g.visibilite, 'source', g.source, 'demo', g.demo))::text || '}', ',' ORDER BY g.commune_insee, g.nom), '') || ']}' AS fc
        FROM gisements g WHERE ${where}`,
  );
  return r?.fc ?? '{"type":"FeatureCollection","features":[]}';
}
