/**
 * The columns of the operations spreadsheet — one table for the import template, the import's
 * tolerant header matching, and the exports. Headers, aliases and help come from the field
 * dictionary (shared/operations/champs.ts), which the UI's labels read too; this file only says
 * which fields are columns, in which order, of which type, and which are required.
 */
import { CHAMPS_OPERATION, type CleChampOperation } from '../../../shared/operations/champs.js';
import { normaliser } from '../../lib/import/valeurs.js';

export type TypeColonne = 'texte' | 'entier' | 'nombre' | 'date' | 'commune' | 'bailleur' | 'type_operation' | 'etape';

export interface Colonne {
  /** The importer's key for the column (the API field, or `commune`, `bailleur`, `longitude`, `latitude`). */
  cle: string;
  entete: string;
  /** Other headers recognised for this column (compared without case, accents or punctuation). */
  alias: string[];
  type: TypeColonne;
  requis?: boolean;
  aide: string;
}

/** A column from its dictionary entry; `cle` is the importer's key when it differs from the field's. */
function colonne(champ: CleChampOperation, type: TypeColonne, options: { cle?: string; requis?: boolean } = {}): Colonne {
  const c: { libelle: string; aide?: string; colonne?: { entete: string; alias?: readonly string[]; aide?: string } } = CHAMPS_OPERATION[champ];
  if (!c.colonne) throw new Error(`Le champ ${champ} n’a pas de colonne dans le dictionnaire.`);
  const aide = c.colonne.aide ?? c.aide ?? c.libelle;
  return {
    cle: options.cle ?? champ,
    entete: c.colonne.entete,
    alias: [...(c.colonne.alias ?? [])],
    type,
    ...(options.requis ? { requis: true } : {}),
    aide: type === 'date' ? `${aide} (jj/mm/aaaa ou date Excel)` : aide,
  };
}

export const COLONNES: Colonne[] = [
  colonne('numero_siap', 'texte'),
  colonne('nom', 'texte', { requis: true }),
  colonne('commune_insee', 'commune', { cle: 'commune', requis: true }),
  colonne('bailleur_id', 'bailleur', { cle: 'bailleur', requis: true }),
  colonne('type', 'type_operation', { requis: true }),
  colonne('adresse', 'texte'),
  colonne('longitude', 'nombre'),
  colonne('latitude', 'nombre'),
  colonne('plai', 'entier'),
  colonne('plai_adapte', 'entier'),
  colonne('plus', 'entier'),
  colonne('pls', 'entier'),
  colonne('psla', 'entier'),
  colonne('brs', 'entier'),
  colonne('annee_programmation', 'entier'),
  colonne('etape', 'etape'),
  colonne('motif_abandon', 'texte'),
  colonne('date_foncier_maitrise', 'date'),
  colonne('date_depot_permis', 'date'),
  colonne('date_obtention_permis', 'date'),
  colonne('date_recours', 'date'),
  colonne('date_agrement', 'date'),
  colonne('date_appel_offres', 'date'),
  colonne('date_ordre_service', 'date'),
  colonne('date_livraison', 'date'),
  colonne('date_agrement_prevue', 'date'),
  colonne('date_ordre_service_prevue', 'date'),
  colonne('date_livraison_prevue', 'date'),
  colonne('cout_total', 'nombre'),
];

/** The read-only context columns the exports add after the template's (not read back by the import). */
export const COLONNES_CONTEXTE: string[] = (['epci', 'en_difficulte', 'blocages', 'id'] as const).map((c) => CHAMPS_OPERATION[c].colonne.entete);

const PAR_ENTETE = new Map<string, Colonne>();
for (const c of COLONNES) for (const a of [c.entete, c.cle, ...c.alias]) PAR_ENTETE.set(normaliser(a), c);

export function colonnePourEntete(entete: string): Colonne | undefined {
  return PAR_ENTETE.get(normaliser(entete));
}
