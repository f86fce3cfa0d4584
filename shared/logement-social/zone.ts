/**
 * The geographic column of the ceilings follows the commune of the dwelling:
 * - Paris (75056 and its arrondissements 75101–75120) and the communes limitrophes of Paris, as
 *   service-public's sheet F869 lists them (29 communes; codes from the COG 2026);
 * - the rest of Île-de-France: départements 77, 78, 91, 92, 93, 94, 95;
 * - every other commune: "autres régions".
 */
import type { Zone } from './plafonds.js';

/** Code INSEE → name, as listed by service-public (F869). */
export const COMMUNES_LIMITROPHES_DE_PARIS: Readonly<Record<string, string>> = {
  '93001': 'Aubervilliers',
  '93006': 'Bagnolet',
  '92012': 'Boulogne-Billancourt',
  '94018': 'Charenton-le-Pont',
  '92024': 'Clichy',
  '94033': 'Fontenay-sous-Bois',
  '94037': 'Gentilly',
  '92040': 'Issy-les-Moulineaux',
  '94041': 'Ivry-sur-Seine',
  '94042': 'Joinville-le-Pont',
  '94043': 'Le Kremlin-Bicêtre',
  '93045': 'Les Lilas',
  '93061': 'Le Pré-Saint-Gervais',
  '92044': 'Levallois-Perret',
  '92046': 'Malakoff',
  '93048': 'Montreuil',
  '92049': 'Montrouge',
  '92051': 'Neuilly-sur-Seine',
  '94052': 'Nogent-sur-Marne',
  '93055': 'Pantin',
  '92062': 'Puteaux',
  '92064': 'Saint-Cloud',
  '93066': 'Saint-Denis',
  '94067': 'Saint-Mandé',
  '94069': 'Saint-Maurice',
  '93070': 'Saint-Ouen-sur-Seine',
  '92073': 'Suresnes',
  '92075': 'Vanves',
  '94080': 'Vincennes',
};

export const DEPARTEMENTS_ILE_DE_FRANCE = ['75', '77', '78', '91', '92', '93', '94', '95'] as const;

/** The zone of a commune from its INSEE code (its first two characters are its département's). */
export function zoneDeCommune(codeInsee: string): Zone {
  const code = codeInsee.toUpperCase();
  if (code.startsWith('75') || code in COMMUNES_LIMITROPHES_DE_PARIS) return 'paris_communes_limitrophes';
  if ((DEPARTEMENTS_ILE_DE_FRANCE as readonly string[]).includes(code.slice(0, 2))) return 'ile_de_france';
  return 'autres_regions';
}
