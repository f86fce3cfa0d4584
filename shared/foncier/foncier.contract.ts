/**
 * The land observatory's API responses (server/modules/foncier); request bodies are in
 * gisement.schema.ts beside this file. Open objects: fields the server adds pass through.
 */
import { z } from 'zod';
import { ouvert, resultatImportCommun, uuid } from '../contract.js';

const entier = z.number().int();
const texteOuNull = z.string().nullable();

export const gisementSchema = ouvert({
  id: uuid,
  identifiant: texteOuNull,
  nom: z.string(),
  /** GeoJSON MultiPolygon, WGS84. */
  geometrie: z.unknown(),
  surface_m2: entier,
  commune: ouvert({ code_insee: z.string(), nom: z.string() }),
  epci: ouvert({ siren: z.string(), nom: texteOuNull }).nullable(),
  departement: z.string(),
  references_cadastrales: z.array(z.string()),
  usage_actuel: texteOuNull,
  usage_actuel_libelle: texteOuNull,
  proprietaire: texteOuNull,
  proprietaire_libelle: texteOuNull,
  capacite_logements: entier.nullable(),
  capacite_lls: entier.nullable(),
  outils: z.array(z.string()),
  outils_libelles: z.array(z.string()),
  taux_sms: z.number().nullable(),
  contraintes: z.array(z.string()),
  contraintes_libelles: z.array(z.string()),
  epf_convention: texteOuNull,
  epf_date_acquisition: texteOuNull,
  epf_date_revente_prevue: texteOuNull,
  epf_prix: z.number().nullable(),
  statut: z.string(),
  statut_libelle: z.string(),
  statuts_suivants: z.array(z.string()),
  operation: ouvert({ id: uuid, nom: texteOuNull }).nullable(),
  visibilite: z.string(),
  visibilite_libelle: z.string(),
  organisations: z.array(z.string()),
  source: texteOuNull,
  commentaire: texteOuNull,
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
export const syntheseSchema = ouvert({ niveau: z.string(), rows: z.array(ligneSynthese), total: ligneSynthese });

export const referentielFoncierSchema = ouvert({
  statuts: z.array(ouvert({ code: z.string(), libelle: z.string(), suivants: z.array(z.string()), couleur: z.string() })),
  outils: z.record(z.string(), ouvert({ libelle: z.string(), couleur: z.string() })),
  usages: z.record(z.string(), z.string()),
  proprietaires: z.record(z.string(), z.string()),
  contraintes: z.record(z.string(), z.string()),
  visibilites: z.record(z.string(), z.string()),
});

/** One refused feature (GeoJSON index from 0) or line (csv, xlsx) of an import. */
export const erreurImportFoncierSchema = ouvert({ feature: entier, propriete: z.string(), message: z.string() });
export const importGisementsSchema = ouvert({ ...resultatImportCommun, created: entier, updated: entier, errors: z.array(erreurImportFoncierSchema) });

/** The map's FeatureCollection (foreign member `tronque` when capped). */
export const carteGisementsSchema = ouvert({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()), tronque: z.boolean().optional() });

export type Gisement = z.infer<typeof gisementSchema>;
export type GisementsListe = z.infer<typeof gisementsListeSchema>;
export type Synthese = z.infer<typeof syntheseSchema>;
export type ReferentielFoncier = z.infer<typeof referentielFoncierSchema>;
export type ImportGisements = z.infer<typeof importGisementsSchema>;
