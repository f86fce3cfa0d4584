/**
 * The land observatory's API responses (server/modules/foncier); request bodies are in
 * gisement.schema.ts beside this file. Open objects: fields the server adds pass through.
 */
import { z } from 'zod';
import { erreurImportCommune, ouvert, resultatImportCommun, uuid, type Reponse } from '../contract.js';
import type { Geometrie } from './gisement.schema.js';

const entier = z.number().int();
const texteOuNull = z.string().nullable();

/**
 * A stored geometry: a GeoJSON Polygon or MultiPolygon in WGS84 (MultiPolygon as stored). Its
 * coordinates were checked on the way in (`geometrieSchema`, PostGIS); the answer only checks its
 * type, so that a large polygon is not walked again on every read.
 */
export const geometrieDtoSchema = ouvert({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) });
/** Typed as a `Geometrie` where the server's value is typed (the map's features). */
const geometrieDto = geometrieDtoSchema as unknown as z.ZodType<Geometrie>;

export const gisementSchema = ouvert({
  id: uuid,
  identifiant: texteOuNull,
  nom: z.string(),
  /**
   * GeoJSON MultiPolygon, WGS84 (its type checked). Typed `unknown` for the server, whose row
   * still parses the stored text as `unknown`: the client reads it through `GisementReponse` below.
   */
  geometrie: geometrieDtoSchema as unknown as z.ZodType<unknown>,
  /** Geodesic area of the geometry, m². */
  surface_m2: entier,
  commune: ouvert({ code_insee: z.string(), nom: z.string() }),
  epci: ouvert({ siren: z.string(), nom: texteOuNull }).nullable(),
  departement: z.string(),
  references_cadastrales: z.array(z.string()),
  usage_actuel: texteOuNull,
  usage_actuel_libelle: texteOuNull,
  proprietaire: texteOuNull,
  proprietaire_libelle: texteOuNull,
  /** Estimated capacity, in dwellings. */
  capacite_logements: entier.nullable(),
  /** Of which social dwellings. */
  capacite_lls: entier.nullable(),
  outils: z.array(z.string()),
  outils_libelles: z.array(z.string()),
  /** Share of social housing the SMS imposes, percent. */
  taux_sms: z.number().nullable(),
  contraintes: z.array(z.string()),
  contraintes_libelles: z.array(z.string()),
  epf_convention: texteOuNull,
  epf_date_acquisition: texteOuNull,
  epf_date_revente_prevue: texteOuNull,
  epf_prix: z.number().nullable(),
  statut: z.string(),
  statut_libelle: z.string(),
  /** The statuses the caller may move it to. */
  statuts_suivants: z.array(z.string()),
  /** The register's operation built on it. */
  operation: ouvert({ id: uuid, nom: texteOuNull }).nullable(),
  visibilite: z.string(),
  visibilite_libelle: z.string(),
  /** Landlords it is shared with (visibility « partage »). */
  organisations: z.array(z.string()),
  source: texteOuNull,
  commentaire: texteOuNull,
  /** Fictitious demo record. */
  demo: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  /** What the caller may do on this gisement. */
  policies: ouvert({ modifier: z.boolean(), portage: z.boolean(), supprimer: z.boolean() }),
});

/** The list view: gisements without their geometry. */
export const gisementsListeSchema = ouvert({ results: z.array(gisementSchema.omit({ geometrie: true })), tronque: z.boolean() });

const agregat = ouvert({ nb_gisements: entier, surface_m2: z.number(), capacite_logements: entier, capacite_lls: entier });
const ligneSynthese = ouvert({
  code: z.string(),
  nom: z.string(),
  nb_gisements: entier,
  surface_m2: z.number(),
  capacite_logements: entier,
  capacite_lls: entier,
  par_statut: z.record(z.string(), agregat),
  par_outil: z.record(z.string(), agregat),
  plh: ouvert({ logements_livres: entier, potentiel_logements: entier, taux: z.number().nullable() }),
});
export const syntheseSchema = ouvert({ niveau: z.enum(['epci', 'commune']), rows: z.array(ligneSynthese), total: ligneSynthese });

export const referentielFoncierSchema = ouvert({
  statuts: z.array(ouvert({ code: z.string(), libelle: z.string(), suivants: z.array(z.string()), couleur: z.string() })),
  outils: z.record(z.string(), ouvert({ libelle: z.string(), couleur: z.string() })),
  usages: z.record(z.string(), z.string()),
  proprietaires: z.record(z.string(), z.string()),
  contraintes: z.record(z.string(), z.string()),
  visibilites: z.record(z.string(), z.string()),
});

/**
 * One refused feature of an import: the common error (`ligne`, `colonne`, `valeur`, `message`) and
 * its published names, `feature` (GeoJSON index from 0, or the line of a csv/xlsx) and `propriete`.
 */
export const erreurImportFoncierSchema = ouvert({ ...erreurImportCommune, feature: entier, propriete: z.string() });
export const importGisementsSchema = ouvert({ ...resultatImportCommun, created: entier, updated: entier, errors: z.array(erreurImportFoncierSchema) });

/** The properties of a gisement on the map (kept by the `gisements_feature_maj` trigger). */
export const proprietesCarteSchema = ouvert({
  id: uuid,
  nom: z.string(),
  /** INSEE code of the commune. */
  commune: z.string(),
  capacite_logements: entier.nullable(),
  capacite_lls: entier.nullable(),
  statut: z.string(),
  outils: z.array(z.string()),
  demo: z.boolean(),
});
export const featureCarteSchema = ouvert({ type: z.literal('Feature'), id: uuid, geometry: geometrieDto, properties: proprietesCarteSchema });

/**
 * `export.geojson`: every gisement in scope with the import's property names (re-importable); empty
 * properties are left out.
 */
export const exportGeoJsonSchema = ouvert({
  type: z.literal('FeatureCollection'),
  features: z.array(
    ouvert({
      type: z.literal('Feature'),
      id: uuid,
      geometry: geometrieDto,
      properties: ouvert({
        id: uuid,
        identifiant: z.string().optional(),
        nom: z.string(),
        commune: z.string(),
        epci: z.string().optional(),
        surface_m2: z.number(),
        references_cadastrales: z.array(z.string()),
        usage_actuel: z.string().optional(),
        proprietaire: z.string().optional(),
        capacite_logements: entier.optional(),
        capacite_lls: entier.optional(),
        statut: z.string(),
        outils: z.array(z.string()),
        taux_sms: z.number().optional(),
        contraintes: z.array(z.string()),
        epf_convention: z.string().optional(),
        epf_date_acquisition: z.string().optional(),
        epf_date_revente_prevue: z.string().optional(),
        epf_prix: z.number().optional(),
        visibilite: z.string(),
        source: z.string().optional(),
        demo: z.boolean(),
      }),
    }),
  ),
});

/** The map's FeatureCollection (foreign member `tronque` when capped). */
export const carteGisementsSchema = ouvert({ type: z.literal('FeatureCollection'), features: z.array(featureCarteSchema), tronque: z.boolean().optional() });

export type Gisement = z.infer<typeof gisementSchema>;
/** A gisement as the client receives it: `gisementSchema` with its geometry typed. */
export type GisementReponse = Omit<Reponse<typeof gisementSchema>, 'geometrie'> & { geometrie: Geometrie };
export type GisementsListe = z.infer<typeof gisementsListeSchema>;
export type Synthese = z.infer<typeof syntheseSchema>;
export type ReferentielFoncier = z.infer<typeof referentielFoncierSchema>;
export type ImportGisements = z.infer<typeof importGisementsSchema>;
export type ProprietesCarte = z.infer<typeof proprietesCarteSchema>;
