/**
 * Input of a gisement foncier (API and import share it). Property names are those the API returns.
 */
import { z } from 'zod';
import { codeInsee } from '../identifiants.js';
import { CONTRAINTE_CODES, OUTIL_CODES, PROPRIETAIRE_CODES, STATUT_CODES, USAGE_CODES, VISIBILITE_CODES } from './referentiel.js';

const jour = z.iso.date('Date invalide : format attendu AAAA-MM-JJ.');
const capacite = z.number().int('Nombre entier attendu.').min(0, 'Nombre positif attendu.').max(100_000);
const position = z.array(z.number().finite('Coordonnée non numérique.')).min(2, 'Position : au moins deux coordonnées.').max(3);
const anneau = z.array(position).min(4, 'Un anneau de polygone compte au moins 4 positions.');

/** A GeoJSON Polygon or MultiPolygon geometry (WGS84 in the API). */
export const geometrieSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(anneau).min(1, 'Polygone vide.') }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(anneau).min(1)).min(1, 'Multipolygone vide.') }),
], 'Géométrie : un Polygon ou un MultiPolygon GeoJSON est attendu.');
export type Geometrie = z.infer<typeof geometrieSchema>;

/** Cadastral reference: INSEE code (5) + prefix (3 digits) + section (2) + plot number (4), e.g. 30189000AB0123. */
export const referenceCadastrale = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{2}|2A|2B)\d{3}[0-9]{3}[0-9A-Z]{2}\d{4}$/, 'Référence cadastrale invalide : 14 caractères attendus, par exemple 30189000AB0123.');

export const portageSchema = z.object({
  epf_convention: z.string().trim().max(200).nullable().optional(),
  epf_date_acquisition: jour.nullable().optional(),
  epf_date_revente_prevue: jour.nullable().optional(),
  epf_prix: z.number().min(0, 'Prix positif attendu.').max(1e10).nullable().optional(),
});

const champs = {
  nom: z.string().trim().min(1, 'Nom requis.').max(300),
  identifiant: z.string().trim().min(1).max(100).nullable().optional(),
  geometrie: geometrieSchema,
  /** Derived from the geometry when absent; when given it must intersect the geometry. */
  commune: codeInsee.optional(),
  references_cadastrales: z.array(referenceCadastrale).max(500).optional(),
  usage_actuel: z.enum(USAGE_CODES, 'Usage actuel inconnu.').nullable().optional(),
  proprietaire: z.enum(PROPRIETAIRE_CODES, 'Propriétaire inconnu.').nullable().optional(),
  capacite_logements: capacite.nullable().optional(),
  capacite_lls: capacite.nullable().optional(),
  outils: z.array(z.enum(OUTIL_CODES, 'Outil inconnu (oap, sms, er, zad, dpu, zac).')).max(10).optional(),
  /** Share of social housing the SMS imposes, in percent. */
  taux_sms: z.number().min(0).max(100, 'Pourcentage entre 0 et 100.').nullable().optional(),
  contraintes: z.array(z.enum(CONTRAINTE_CODES, 'Contrainte inconnue (ppri, zan, pollution, patrimoine).')).max(10).optional(),
  statut: z.enum(STATUT_CODES, 'Statut inconnu (identifie, etudie, maitrise, engage, livre, abandonne).').optional(),
  operation_id: z.uuid('Identifiant d’opération invalide.').nullable().optional(),
  visibilite: z.enum(VISIBILITE_CODES, 'Visibilité inconnue (prive, partage, public).').optional(),
  organisations: z.array(z.uuid('Identifiant d’organisation invalide.')).max(50).optional(),
  source: z.string().trim().max(300).nullable().optional(),
  commentaire: z.string().trim().max(5000).nullable().optional(),
  ...portageSchema.shape,
};

function coherent<T extends { capacite_logements?: number | null; capacite_lls?: number | null; outils?: string[]; taux_sms?: number | null }>(v: T, ctx: z.RefinementCtx) {
  if (v.capacite_lls != null && v.capacite_logements != null && v.capacite_lls > v.capacite_logements) {
    ctx.addIssue({ code: 'custom', path: ['capacite_lls'], message: 'La capacité en logements sociaux dépasse la capacité totale.' });
  }
  if (v.taux_sms != null && v.outils && !v.outils.includes('sms')) {
    ctx.addIssue({ code: 'custom', path: ['taux_sms'], message: 'Un taux de SMS suppose l’outil « sms ».' });
  }
}

export const gisementCreateSchema = z.object(champs).superRefine(coherent);
export const gisementUpdateSchema = z.object(champs).partial().superRefine(coherent);
export type GisementCreate = z.infer<typeof gisementCreateSchema>;
export type GisementUpdate = z.infer<typeof gisementUpdateSchema>;

/** The properties of an imported feature or row (the geometry is checked by PostGIS). */
export const gisementProprietesSchema = z.object(champs).omit({ geometrie: true }).superRefine(coherent);
