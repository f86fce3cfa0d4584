/**
 * The columns of the operations spreadsheet — one table for the import template, the import's
 * tolerant header matching, and the exports.
 */
import { ETAPES } from '../../../shared/operations/etapes.js';
import { TYPES_OPERATION } from '../../../shared/operations/referentiel.js';
import { normaliser } from '../../lib/import/valeurs.js';

export type TypeColonne = 'texte' | 'entier' | 'nombre' | 'date' | 'commune' | 'bailleur' | 'type_operation' | 'etape';

export interface Colonne {
  cle: string;
  entete: string;
  /** Other headers recognised for this column (compared without case, accents or punctuation). */
  alias: string[];
  type: TypeColonne;
  requis?: boolean;
  aide: string;
}

const date = (cle: string, entete: string, alias: string[], aide: string): Colonne => ({ cle, entete, alias, type: 'date', aide: `${aide} (jj/mm/aaaa ou date Excel)` });
const produit = (cle: string, entete: string, alias: string[]): Colonne => ({ cle, entete, alias, type: 'entier', aide: `Nombre de logements ${entete}` });

export const COLONNES: Colonne[] = [
  { cle: 'numero_siap', entete: 'N° SIAP', alias: ['numero siap', 'siap', 'n siap', 'no siap', 'num siap', 'numero galion', 'galion', 'n galion', 'numero dossier siap'], type: 'texte', aide: 'Numéro du dossier dans SIAP (ex-Galion), s’il existe : clé de mise à jour' },
  { cle: 'nom', entete: 'Nom de l’opération', alias: ['nom', 'operation', 'nom operation', 'intitule', 'libelle', 'nom du programme', 'programme'], type: 'texte', requis: true, aide: 'Nom usuel de l’opération' },
  { cle: 'commune', entete: 'Commune', alias: ['commune', 'code insee', 'insee', 'code commune', 'commune insee', 'nom commune'], type: 'commune', requis: true, aide: 'Code INSEE (ex. 30189) ou nom de la commune' },
  { cle: 'bailleur', entete: 'Bailleur', alias: ['bailleur', 'siren bailleur', 'siren', 'organisme', 'ols', 'maitre d ouvrage', 'moa', 'bailleur social'], type: 'bailleur', requis: true, aide: 'SIREN ou nom du bailleur tel qu’enregistré dans Atelier' },
  { cle: 'type', entete: 'Type d’opération', alias: ['type', 'type operation', 'nature', 'nature operation', 'mode de production'], type: 'type_operation', requis: true, aide: `Un de : ${Object.values(TYPES_OPERATION).join(' ; ')}` },
  { cle: 'adresse', entete: 'Adresse', alias: ['adresse', 'localisation', 'adresse operation'], type: 'texte', aide: 'Adresse postale' },
  { cle: 'longitude', entete: 'Longitude', alias: ['longitude', 'lon', 'lng', 'x'], type: 'nombre', aide: 'Longitude WGS84 (ex. 4,36)' },
  { cle: 'latitude', entete: 'Latitude', alias: ['latitude', 'lat', 'y'], type: 'nombre', aide: 'Latitude WGS84 (ex. 43,84)' },
  produit('plai', 'PLAI', ['plai', 'nb plai', 'logements plai']),
  produit('plai_adapte', 'PLAI adapté', ['plai adapte', 'plai a', 'nb plai adapte']),
  produit('plus', 'PLUS', ['plus', 'nb plus', 'logements plus']),
  produit('pls', 'PLS', ['pls', 'nb pls', 'logements pls']),
  produit('psla', 'PSLA', ['psla', 'nb psla']),
  produit('brs', 'BRS', ['brs', 'nb brs']),
  { cle: 'annee_programmation', entete: 'Année de programmation', alias: ['annee programmation', 'annee', 'programmation', 'annee de programmation', 'millesime'], type: 'entier', aide: 'Année de programmation (ex. 2025)' },
  { cle: 'etape', entete: 'Étape', alias: ['etape', 'stade', 'avancement', 'statut', 'phase'], type: 'etape', aide: `Un de : ${ETAPES.map((e) => e.libelle).join(' ; ')}` },
  { cle: 'motif_abandon', entete: 'Motif d’abandon', alias: ['motif abandon', 'motif d abandon', 'raison abandon'], type: 'texte', aide: 'Obligatoire pour une opération abandonnée' },
  date('date_foncier_maitrise', 'Foncier maîtrisé le', ['foncier maitrise', 'date foncier', 'foncier maitrise le', 'date maitrise fonciere'], 'Date de maîtrise du foncier'),
  date('date_depot_permis', 'Dépôt du permis', ['depot permis', 'date depot permis', 'depot du permis', 'pc depose'], 'Date de dépôt du permis de construire'),
  date('date_obtention_permis', 'Obtention du permis', ['obtention permis', 'date obtention permis', 'permis obtenu', 'pc obtenu', 'date pc'], 'Date d’obtention du permis'),
  date('date_recours', 'Recours le', ['recours', 'date recours', 'recours le'], 'Date du recours contre le permis'),
  date('date_agrement', 'Agrément le', ['agrement', 'date agrement', 'agrement le', 'date de decision'], 'Date de l’agrément'),
  date('date_appel_offres', 'Appel d’offres le', ['appel offres', 'date appel offres', 'ao', 'date ao'], 'Date de lancement de l’appel d’offres travaux'),
  date('date_ordre_service', 'Ordre de service le', ['ordre de service', 'os', 'date os', 'date ordre service', 'demarrage travaux'], 'Date de l’ordre de service (démarrage des travaux)'),
  date('date_livraison', 'Livraison le', ['livraison', 'date livraison', 'livree le', 'date de livraison'], 'Date de livraison'),
  date('date_agrement_prevue', 'Agrément prévu', ['agrement prevu', 'date agrement prevue'], 'Date d’agrément prévue'),
  date('date_ordre_service_prevue', 'Ordre de service prévu', ['os prevu', 'ordre de service prevu', 'date os prevue'], 'Date d’ordre de service prévue'),
  date('date_livraison_prevue', 'Livraison prévue', ['livraison prevue', 'date livraison prevue', 'date previsionnelle livraison'], 'Date de livraison prévue'),
  { cle: 'cout_total', entete: 'Prix de revient (€)', alias: ['prix de revient', 'cout total', 'cout', 'prix revient', 'cout operation', 'prix de revient ttc'], type: 'nombre', aide: 'Prix de revient prévisionnel, en euros' },
];

const PAR_ENTETE = new Map<string, Colonne>();
for (const c of COLONNES) for (const a of [c.entete, c.cle, ...c.alias]) PAR_ENTETE.set(normaliser(a), c);

export function colonnePourEntete(entete: string): Colonne | undefined {
  return PAR_ENTETE.get(normaliser(entete));
}
