import type { ErreurImport, ResultatImport } from '../api';
import type { Geometry } from 'geojson';

export type Gisement = {
  id: string;
  identifiant: string | null;
  nom: string;
  geometrie: Geometry;
  surface_m2: number;
  commune: { code_insee: string; nom: string };
  epci: { siren: string; nom: string | null } | null;
  references_cadastrales: string[];
  usage_actuel: string | null;
  usage_actuel_libelle: string | null;
  proprietaire: string | null;
  proprietaire_libelle: string | null;
  capacite_logements: number | null;
  capacite_lls: number | null;
  outils: string[];
  outils_libelles: string[];
  taux_sms: number | null;
  contraintes: string[];
  contraintes_libelles: string[];
  epf_convention: string | null;
  epf_date_acquisition: string | null;
  epf_date_revente_prevue: string | null;
  epf_prix: number | null;
  statut: string;
  statut_libelle: string;
  statuts_suivants: string[];
  operation: { id: string; nom: string | null } | null;
  organisations: string[];
  visibilite: string;
  visibilite_libelle: string;
  source: string | null;
  commentaire: string | null;
  demo: boolean;
  updated_at: string;
  policies: { modifier: boolean; portage: boolean; supprimer: boolean };
};

export type GisementProps = {
  id: string;
  nom: string;
  commune: string;
  capacite_logements: number | null;
  capacite_lls: number | null;
  statut: string;
  outils: string[];
  demo: boolean;
};

export type Agregat = { nb_gisements: number; surface_m2: number; capacite_logements: number; capacite_lls: number };
export type LigneSynthese = Agregat & {
  code: string;
  nom: string;
  par_statut: Record<string, Agregat>;
  par_outil: Record<string, Agregat>;
  plh: { logements_livres: number; potentiel_logements: number; taux: number | null };
};
export type Synthese = { niveau: 'epci' | 'commune'; rows: LigneSynthese[]; total: LigneSynthese };

export type ImportResultFoncier = ResultatImport<ErreurImport & { feature: number; propriete: string }> & { created: number; updated: number; errors: { feature: number; propriete: string; message: string }[] };

/**
 * What a write on a gisement changes: the map, the sheets, the synthesis of the observatory, and
 * the sheet of the operation it is linked to.
 */
export const INVALIDE_GISEMENT = ['/api/v1/foncier', '/api/v1/operations', '/api/v1/indicateurs'];
