/**
 * The fields of a gisement foncier, once (see shared/champs.ts): the label, help and unit the form
 * and the sheet show, and the column of the csv/xlsx files — the export (`export.csv`,
 * server/modules/foncier/foncier.export.ts) and the import, whose columns are the API's property
 * names with a few aliases. Keys are the API's field names; `wkt`, `lon` and `lat` are the geometry
 * as file columns. Headers are published: an exported file is re-imported with them.
 */
import type { Champ } from '../champs.js';

export const CHAMPS_GISEMENT = {
  identifiant: { libelle: 'Identifiant', aide: 'Votre identifiant du gisement : clé de mise à jour à l’import', colonne: { entete: 'identifiant' } },
  nom: { libelle: 'Nom du gisement', colonne: { entete: 'nom' } },
  commune: { libelle: 'Commune', aide: 'Code INSEE ; déduit du contour s’il est absent', colonne: { entete: 'commune', alias: ['code_insee', 'insee'] } },
  geometrie: { libelle: 'Contour', aide: 'Polygone ou multipolygone GeoJSON, en WGS84 ou Lambert-93' },
  wkt: { libelle: 'Contour (WKT)', aide: 'Polygone en WKT, en WGS84 ou Lambert-93', colonne: { entete: 'wkt', alias: ['geometrie', 'geometry', 'geom'] } },
  lon: { libelle: 'Longitude', aide: 'Sans contour : le centre d’une emprise carrée de la surface indiquée', unite: '°', colonne: { entete: 'lon', alias: ['longitude', 'lng'] } },
  lat: { libelle: 'Latitude', unite: '°', colonne: { entete: 'lat', alias: ['latitude'] } },
  surface_m2: { libelle: 'Surface', aide: 'Surface géodésique du contour', unite: 'm²', colonne: { entete: 'surface_m2', alias: ['surface'] } },
  references_cadastrales: {
    libelle: 'Références cadastrales',
    aide: 'Séparées par des virgules, par exemple 30189000AB0123.',
    colonne: { entete: 'references_cadastrales', aide: 'Séparées par des points-virgules, par exemple 30189000AB0123' },
  },
  usage_actuel: { libelle: 'Usage actuel', colonne: { entete: 'usage_actuel' } },
  proprietaire: { libelle: 'Propriétaire', colonne: { entete: 'proprietaire' } },
  capacite_logements: { libelle: 'Capacité estimée', unite: 'logements', colonne: { entete: 'capacite_logements' } },
  capacite_lls: { libelle: 'Dont logements sociaux', colonne: { entete: 'capacite_lls' } },
  statut: { libelle: 'Statut', colonne: { entete: 'statut' } },
  outils: { libelle: 'Outils de maîtrise et de programmation', colonne: { entete: 'outils' } },
  taux_sms: { libelle: 'Part de logements sociaux imposée par le SMS', unite: '%', colonne: { entete: 'taux_sms' } },
  contraintes: { libelle: 'Contraintes', colonne: { entete: 'contraintes' } },
  epf_convention: { libelle: 'Convention', aide: 'Convention de portage de l’EPF', colonne: { entete: 'epf_convention' } },
  epf_date_acquisition: { libelle: 'Date d’acquisition', colonne: { entete: 'epf_date_acquisition' } },
  epf_date_revente_prevue: { libelle: 'Revente prévue le', colonne: { entete: 'epf_date_revente_prevue' } },
  epf_prix: { libelle: 'Prix d’acquisition', unite: '€', colonne: { entete: 'epf_prix' } },
  visibilite: { libelle: 'Visibilité', colonne: { entete: 'visibilite' } },
  operation_id: { libelle: 'Opération construite sur ce gisement', aide: 'Une opération du registre que vous pouvez consulter.' },
  organisations: { libelle: 'Bailleurs associés', aide: 'Ils peuvent consulter le gisement, même s’il n’est pas partagé.' },
  source: { libelle: 'Source', colonne: { entete: 'source' } },
  commentaire: { libelle: 'Commentaire', colonne: { entete: 'commentaire' } },
} as const satisfies Record<string, Champ>;

export type CleChampGisement = keyof typeof CHAMPS_GISEMENT;

/**
 * The columns of the csv export, in order: the import's property names, so that an export edited in
 * a spreadsheet re-imports as updates (key: `identifiant`, else the geometry, written as WKT).
 */
export const COLONNES_CSV_GISEMENT = [
  'identifiant', 'nom', 'commune', 'wkt', 'surface_m2', 'references_cadastrales', 'usage_actuel', 'proprietaire', 'capacite_logements', 'capacite_lls',
  'statut', 'outils', 'taux_sms', 'contraintes', 'epf_convention', 'epf_date_acquisition', 'epf_date_revente_prevue', 'epf_prix', 'visibilite', 'source', 'commentaire',
] as const satisfies readonly CleChampGisement[];

/** The header of a gisement file column for each alias the import recognises (`longitude` → `lon`…), normalised as the import compares them. */
export const ALIAS_COLONNES_GISEMENT: Record<string, string> = Object.fromEntries(
  Object.values(CHAMPS_GISEMENT).flatMap((c: Champ) => (c.colonne?.alias ?? []).map((a) => [a, c.colonne!.entete])),
);
