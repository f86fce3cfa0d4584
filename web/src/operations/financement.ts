/**
 * The financing plan of an operation (plan de financement): its lines as the API takes them
 * (`ligneFinancementSchema` in shared/operations/operation.schema.ts), the form's rows, and
 * their validation with French messages naming the line and the field.
 */
import type { LigneFinancement } from '../api';

export const CATEGORIES_FINANCEMENT: Record<LigneFinancement['categorie'], string> = {
  pret: 'Prêt',
  subvention: 'Subvention',
  fonds_propres: 'Fonds propres',
};

/** A line of the form: what the person typed, as strings. */
export type LigneSaisie = { categorie: string; source: string; financeur: string; montant: string };

export type ChampLigne = keyof LigneSaisie;

export const LIBELLES_CHAMPS_LIGNE: Record<ChampLigne, string> = {
  categorie: 'catégorie',
  source: 'source',
  financeur: 'financeur',
  montant: 'montant',
};

export const LIGNE_VIDE: LigneSaisie = { categorie: '', source: '', financeur: '', montant: '' };

export function saisieOf(ligne: LigneFinancement): LigneSaisie {
  return { categorie: ligne.categorie, source: ligne.source, financeur: ligne.financeur ?? '', montant: String(ligne.montant) };
}

/** "1 200 000", "1200000,50" or "1200000.5" → a number; null when it is not an amount. */
export function parseMontant(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(compact)) return null;
  return Number(compact);
}

export const MONTANT_MAX = 1e11;

/** Errors of one line by field (empty when the line is valid). */
export function erreursLigne(ligne: LigneSaisie): Partial<Record<ChampLigne, string>> {
  const errors: Partial<Record<ChampLigne, string>> = {};
  if (!(ligne.categorie in CATEGORIES_FINANCEMENT)) errors.categorie = 'Choisissez la catégorie (prêt, subvention ou fonds propres).';
  if (!ligne.source.trim()) errors.source = 'Saisissez la source du financement, par exemple « Prêt PLUS » ou « Subvention FNAP ».';
  else if (ligne.source.trim().length > 200) errors.source = 'La source ne doit pas dépasser 200 caractères.';
  if (ligne.financeur.trim().length > 200) errors.financeur = 'Le financeur ne doit pas dépasser 200 caractères.';
  const montant = parseMontant(ligne.montant);
  if (!ligne.montant.trim()) errors.montant = 'Saisissez le montant en euros.';
  else if (montant === null) errors.montant = 'Saisissez un montant positif en euros, par exemple 250 000 ou 250000,50.';
  else if (montant > MONTANT_MAX) errors.montant = 'Le montant est trop élevé.';
  return errors;
}

/** The line as the API takes it (call only on a valid line). */
export function ligneOf(ligne: LigneSaisie): LigneFinancement {
  const out: LigneFinancement = {
    categorie: ligne.categorie as LigneFinancement['categorie'],
    source: ligne.source.trim(),
    montant: parseMontant(ligne.montant) ?? 0,
  };
  if (ligne.financeur.trim()) out.financeur = ligne.financeur.trim();
  return out;
}

/** The total of the lines whose amount can be read (the others count for nothing until corrected). */
export function totalSaisi(lignes: LigneSaisie[]): number {
  return lignes.reduce((sum, l) => sum + (parseMontant(l.montant) ?? 0), 0);
}

/** What the financing leaves to find against the cost price, in words. */
export function ecartLibelle(coutTotal: number | null, total: number, euros: (n: number) => string): string {
  if (coutTotal === null) return 'Prix de revient non renseigné : l’écart ne peut pas être calculé.';
  const ecart = Math.round((coutTotal - total) * 100) / 100;
  if (ecart > 0) return `Reste à financer : ${euros(ecart)}`;
  if (ecart < 0) return `Financements supérieurs au prix de revient de ${euros(-ecart)}`;
  return 'Plan de financement équilibré : les financements couvrent le prix de revient.';
}
