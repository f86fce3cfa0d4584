/**
 * The financing plan of an operation (plan de financement): its lines as the API takes them
 * (`ligneFinancementSchema` in shared/operations/operation.schema.ts), the form's rows, and
 * their validation with French messages naming the line and the field.
 */
import { CATEGORIES_FINANCEMENT, ligneFinancementSchema } from '../../../shared/operations/operation.schema';
import type { LigneFinancement } from '../api';
import { nombre } from '../saisie';
import { erreursParChamp } from '../useSubmission';

export { CATEGORIES_FINANCEMENT };

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
  const n = nombre(text);
  return n === undefined || Number.isNaN(n) ? null : n;
}

/** The line as typed, for the API's schema to check: the amount a number (NaN when unreadable), empty texts absent. */
function corpsLigne(ligne: LigneSaisie) {
  return {
    categorie: ligne.categorie,
    source: ligne.source,
    ...(ligne.financeur.trim() ? { financeur: ligne.financeur } : {}),
    montant: nombre(ligne.montant),
  };
}

/** Errors of one line by field (empty when the line is valid), from the API's own schema (`ligneFinancementSchema`). */
export function erreursLigne(ligne: LigneSaisie): Partial<Record<ChampLigne, string>> {
  const r = ligneFinancementSchema.safeParse(corpsLigne(ligne));
  return r.success ? {} : (erreursParChamp(r.error) as Partial<Record<ChampLigne, string>>);
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
