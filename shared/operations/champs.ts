/**
 * The fields of an operation, once (see shared/champs.ts): the label, help and unit the forms and
 * the sheet show, and the column of the register's spreadsheet — the import template, the import's
 * tolerant header matching (server/modules/operations/operations.colonnes.ts) and the exports
 * (operations.export.ts). Keys are the API's field names; the housing products are the keys of
 * `logements` (`plai`…), `longitude`/`latitude` the parts of `localisation`, and the last four are
 * read-only context columns of the exports. Headers are published: a user's file depends on them.
 */
import type { Champ } from '../champs.js';
import { ETAPES } from './etapes.js';
import { PRODUITS, TYPES_OPERATION, type Produit } from './referentiel.js';

const produit = (p: Produit, alias: string[]): Champ => ({
  libelle: `Logements ${PRODUITS[p]}`,
  aide: `Nombre de logements ${PRODUITS[p]}`,
  unite: 'logements',
  colonne: { entete: PRODUITS[p], alias },
});

export const CHAMPS_OPERATION = {
  numero_siap: {
    libelle: 'N° SIAP',
    aide: 'Numéro du dossier dans SIAP (ex-Galion), s’il existe : clé de mise à jour',
    colonne: { entete: 'N° SIAP', alias: ['numero siap', 'siap', 'n siap', 'no siap', 'num siap', 'numero galion', 'galion', 'n galion', 'numero dossier siap'] },
  },
  nom: {
    libelle: 'Nom de l’opération',
    aide: 'Nom usuel de l’opération',
    colonne: { entete: 'Nom de l’opération', alias: ['nom', 'operation', 'nom operation', 'intitule', 'libelle', 'nom du programme', 'programme'] },
  },
  commune_insee: {
    libelle: 'Commune de l’opération',
    colonne: { entete: 'Commune', alias: ['commune', 'code insee', 'insee', 'code commune', 'commune insee', 'nom commune'], aide: 'Code INSEE (ex. 30189) ou nom de la commune' },
  },
  bailleur_id: {
    libelle: 'Bailleur',
    colonne: { entete: 'Bailleur', alias: ['bailleur', 'siren bailleur', 'siren', 'organisme', 'ols', 'maitre d ouvrage', 'moa', 'bailleur social'], aide: 'SIREN ou nom du bailleur tel qu’enregistré dans Atelier' },
  },
  type: {
    libelle: 'Type d’opération',
    aide: `Un de : ${Object.values(TYPES_OPERATION).join(' ; ')}`,
    colonne: { entete: 'Type d’opération', alias: ['type', 'type operation', 'nature', 'nature operation', 'mode de production'] },
  },
  adresse: { libelle: 'Adresse', aide: 'Adresse postale', colonne: { entete: 'Adresse', alias: ['adresse', 'localisation', 'adresse operation'] } },
  longitude: { libelle: 'Longitude', aide: 'Longitude WGS84 (ex. 4,36)', unite: '°', colonne: { entete: 'Longitude', alias: ['longitude', 'lon', 'lng', 'x'] } },
  latitude: { libelle: 'Latitude', aide: 'Latitude WGS84 (ex. 43,84)', unite: '°', colonne: { entete: 'Latitude', alias: ['latitude', 'lat', 'y'] } },
  plai: produit('plai', ['plai', 'nb plai', 'logements plai']),
  plai_adapte: produit('plai_adapte', ['plai adapte', 'plai a', 'nb plai adapte']),
  plus: produit('plus', ['plus', 'nb plus', 'logements plus']),
  pls: produit('pls', ['pls', 'nb pls', 'logements pls']),
  psla: produit('psla', ['psla', 'nb psla']),
  brs: produit('brs', ['brs', 'nb brs']),
  annee_programmation: {
    libelle: 'Année de programmation',
    aide: 'Année de programmation (ex. 2025)',
    colonne: { entete: 'Année de programmation', alias: ['annee programmation', 'annee', 'programmation', 'annee de programmation', 'millesime'] },
  },
  etape: {
    libelle: 'Étape',
    aide: `Un de : ${ETAPES.map((e) => e.libelle).join(' ; ')}`,
    colonne: { entete: 'Étape', alias: ['etape', 'stade', 'avancement', 'statut', 'phase'] },
  },
  motif_abandon: {
    libelle: 'Motif d’abandon',
    aide: 'Obligatoire pour une opération abandonnée',
    colonne: { entete: 'Motif d’abandon', alias: ['motif abandon', 'motif d abandon', 'raison abandon'] },
  },
  date_foncier_maitrise: {
    libelle: 'Date de maîtrise du foncier',
    aide: 'Date de maîtrise du foncier',
    colonne: { entete: 'Foncier maîtrisé le', alias: ['foncier maitrise', 'date foncier', 'foncier maitrise le', 'date maitrise fonciere'] },
  },
  date_depot_permis: {
    libelle: 'Date de dépôt du permis de construire',
    aide: 'Date de dépôt du permis de construire',
    colonne: { entete: 'Dépôt du permis', alias: ['depot permis', 'date depot permis', 'depot du permis', 'pc depose'] },
  },
  date_obtention_permis: {
    libelle: 'Date d’obtention du permis de construire',
    aide: 'Date d’obtention du permis',
    colonne: { entete: 'Obtention du permis', alias: ['obtention permis', 'date obtention permis', 'permis obtenu', 'pc obtenu', 'date pc'] },
  },
  date_recours: { libelle: 'Date du recours', aide: 'Date du recours contre le permis', colonne: { entete: 'Recours le', alias: ['recours', 'date recours', 'recours le'] } },
  date_agrement: { libelle: 'Date d’agrément', aide: 'Date de l’agrément', colonne: { entete: 'Agrément le', alias: ['agrement', 'date agrement', 'agrement le', 'date de decision'] } },
  date_appel_offres: {
    libelle: 'Date de l’appel d’offres',
    aide: 'Date de lancement de l’appel d’offres travaux',
    colonne: { entete: 'Appel d’offres le', alias: ['appel offres', 'date appel offres', 'ao', 'date ao'] },
  },
  date_ordre_service: {
    libelle: 'Date de l’ordre de service',
    aide: 'Date de l’ordre de service (démarrage des travaux)',
    colonne: { entete: 'Ordre de service le', alias: ['ordre de service', 'os', 'date os', 'date ordre service', 'demarrage travaux'] },
  },
  date_livraison: { libelle: 'Date de livraison', aide: 'Date de livraison', colonne: { entete: 'Livraison le', alias: ['livraison', 'date livraison', 'livree le', 'date de livraison'] } },
  date_agrement_prevue: { libelle: 'Date d’agrément prévue', aide: 'Date d’agrément prévue', colonne: { entete: 'Agrément prévu', alias: ['agrement prevu', 'date agrement prevue'] } },
  date_ordre_service_prevue: {
    libelle: 'Date d’ordre de service prévue',
    aide: 'Date d’ordre de service prévue',
    colonne: { entete: 'Ordre de service prévu', alias: ['os prevu', 'ordre de service prevu', 'date os prevue'] },
  },
  date_livraison_prevue: {
    libelle: 'Date de livraison prévue',
    aide: 'Date de livraison prévue',
    colonne: { entete: 'Livraison prévue', alias: ['livraison prevue', 'date livraison prevue', 'date previsionnelle livraison'] },
  },
  cout_total: {
    libelle: 'Prix de revient',
    aide: 'Prix de revient prévisionnel, en euros',
    unite: '€',
    colonne: { entete: 'Prix de revient (€)', alias: ['prix de revient', 'cout total', 'cout', 'prix revient', 'cout operation', 'prix de revient ttc'] },
  },
  logements: { libelle: 'Logements par produit' },
  localisation: { libelle: 'Localisation', aide: 'Point sur la carte (WGS84)' },
  plan_financement: { libelle: 'Plan de financement', aide: 'Montants par source : prêts, subventions par financeur, fonds propres' },
  contact_riverains: { libelle: 'Contact pour les riverains', aide: 'Numéro que les riverains peuvent appeler au sujet de l’opération' },
  // Read-only context columns of the exports.
  epci: { libelle: 'EPCI', colonne: { entete: 'EPCI' } },
  en_difficulte: { libelle: 'En difficulté', aide: 'Un blocage ouvert, ou une date prévue dépassée', colonne: { entete: 'En difficulté' } },
  blocages: { libelle: 'Blocages ouverts', colonne: { entete: 'Blocages ouverts' } },
  id: { libelle: 'Identifiant Atelier', colonne: { entete: 'Identifiant Atelier' } },
} as const satisfies Record<string, Champ>;

export type CleChampOperation = keyof typeof CHAMPS_OPERATION;

/** The label of a field of an operation (a stage rule's required field, a locked one…); the key itself if unknown. */
export function libelleChampOperation(cle: string): string {
  return (CHAMPS_OPERATION as Record<string, Champ>)[cle]?.libelle ?? cle;
}
