/**
 * GeoJSON and csv exports of the gisements in scope, with the import's property names (re-importable: the
 * `identifiant`, else the geometry, makes a re-import update them).
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { CHAMPS_GISEMENT, COLONNES_CSV_GISEMENT } from '../../../shared/foncier/champs.js';
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

/** The csv columns (shared/foncier/champs.ts): the import's property names, re-importable as updates. */
const COLONNES_CSV = COLONNES_CSV_GISEMENT;

/** The gisements in scope as csv rows (header first), through the one CSV writer (formulas neutralised). */
export async function gisementsCsv(db: Executor, p: Principal | undefined, configured: string[], f: GisementFilters): Promise<unknown[][]> {
  const where = sql.join([gisementPolicy.where('read', p, configured), ...filtersSql(f)], sql` AND `);
  const r = await rows<Record<(typeof COLONNES_CSV)[number], unknown>>(
    db,
    sql`SELECT g.identifiant, g.nom, g.commune_insee AS commune, ST_AsText(g.geom) AS wkt, round(g.surface_m2::numeric)::float8 AS surface_m2,
          array_to_string(g.references_cadastrales, '; ') AS references_cadastrales, g.usage_actuel, g.proprietaire, g.capacite_logements, g.capacite_lls,
          g.statut, array_to_string(g.outils, '; ') AS outils, g.taux_sms::float8 AS taux_sms, array_to_string(g.contraintes, '; ') AS contraintes, g.epf_convention,
          g.epf_date_acquisition::text AS epf_date_acquisition, g.epf_date_revente_prevue::text AS epf_date_revente_prevue, g.epf_prix::float8 AS epf_prix,
          g.visibilite, g.source, g.commentaire
        FROM gisements g WHERE ${where} ORDER BY g.commune_insee, g.nom`,
  );
  return [COLONNES_CSV.map((c) => CHAMPS_GISEMENT[c].colonne.entete), ...r.map((g) => COLONNES_CSV.map((c) => (g[c] === '' ? null : g[c])))];
}
