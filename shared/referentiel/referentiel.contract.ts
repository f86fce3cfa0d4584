/** Territorial reference data (public): responses (server/modules/referentiel). */
import { z } from 'zod';
import { ouvert } from '../contract.js';

export const departementSchema = z.object({ code: z.string(), nom: z.string(), region: z.string() });
export const departementsSchema = z.object({ count: z.number().int(), results: z.array(departementSchema) });

export const communeSchema = z.object({
  code_insee: z.string(),
  nom: z.string(),
  population: z.number().int().nullable(),
  departement: z.string(),
  codes_postaux: z.array(z.string()),
  epci: z.object({ siren: z.string(), nom: z.string(), type: z.string() }).nullable(),
});
export const communesSchema = z.object({ count: z.number().int(), results: z.array(communeSchema) });

export const epciSchema = z.object({
  siren: z.string(),
  nom: z.string(),
  type: z.string(),
  /** Population of its communes in the served départements. */
  population: z.number().int(),
  communes: z.array(z.string()),
});
export const epcisSchema = z.object({ count: z.number().int(), results: z.array(epciSchema) });

/** A GeoJSON FeatureCollection (geometry and properties left open). */
export const featureCollectionSchema = ouvert({ type: z.literal('FeatureCollection'), features: z.array(ouvert({ type: z.literal('Feature') })) });

/** Properties of a commune's outline (`GET /api/v1/geo/communes`), coloured by its EPCI. */
export const proprietesContourCommuneSchema = z.object({
  code_insee: z.string(),
  nom: z.string(),
  population: z.number().int().nullable(),
  epci_siren: z.string().nullable(),
  epci_nom: z.string().nullable(),
  /** Fill colour of its EPCI on the map (grey without EPCI). */
  couleur: z.string(),
});
/** Properties of an EPCI's outline (`GET /api/v1/geo/epci`). */
export const proprietesContourEpciSchema = z.object({ siren: z.string(), nom: z.string(), type: z.string(), couleur: z.string() });
/** The outlines of the served communes or EPCI: a FeatureCollection whose features carry these properties. */
export const contoursDe = <P extends z.ZodType>(properties: P) =>
  ouvert({ type: z.literal('FeatureCollection'), features: z.array(ouvert({ type: z.literal('Feature'), id: z.string(), geometry: z.unknown(), properties })) });
export const contoursCommunesSchema = contoursDe(proprietesContourCommuneSchema);
export const contoursEpciSchema = contoursDe(proprietesContourEpciSchema);

export type Departement = z.infer<typeof departementSchema>;
export type Commune = z.infer<typeof communeSchema>;
export type Epci = z.infer<typeof epciSchema>;
