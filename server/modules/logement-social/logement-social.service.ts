/**
 * The simulator and the public page's facts: commune lookup, the year's ceilings, the household's
 * category, the latest SRU vintage. Pure rules live in shared/logement-social/.
 */
import type { z } from 'zod';
import { validateMenage } from '../../../shared/logement-social/categorie.js';
import { defaultAnnee, eligibiliteQuery, simuler, type EligibiliteQuery, type EligibiliteReponse } from '../../../shared/logement-social/eligibilite.js';
import { ANNEES, findPlafonds } from '../../../shared/logement-social/plafonds.js';
import { zoneDeCommune } from '../../../shared/logement-social/zone.js';
import type { Executor } from '../../db/client.js';
import { badRequest, notFound } from '../../lib/errors.js';
import { findCommunePublique, latestSru, type CommunePublique, type SruMillesime } from './logement-social.repository.js';

export const communeNotFound = (code: string) =>
  notFound(`Commune « ${code} » inconnue : ce code INSEE n’est pas dans le référentiel des communes de cette plateforme.`);

export const plafondsNotFound = (annee: number) =>
  notFound(`Aucun plafond de ressources n’est chargé pour l’année ${annee} : années disponibles ${ANNEES.join(', ')}.`);

/** GET /api/v1/public/eligibilite. */
export async function eligibilite(db: Executor, q: EligibiliteQuery): Promise<EligibiliteReponse> {
  const erreurs = validateMenage({ personnes: q.personnes, personnesACharge: q.personnes_a_charge });
  if (erreurs.length) throw badRequest(erreurs.join(' '));
  const commune = await findCommunePublique(db, q.commune);
  if (!commune) throw communeNotFound(q.commune);
  const annee = q.annee ?? defaultAnnee();
  if (!findPlafonds(annee)) throw plafondsNotFound(annee);
  return simuler({
    commune: { code_insee: commune.code_insee, nom: commune.nom },
    zone: zoneDeCommune(commune.code_insee),
    annee,
    menage: { personnes: q.personnes, personnesACharge: q.personnes_a_charge, handicap: q.handicap, jeuneMenage: q.jeune_menage },
    revenuFiscal: q.revenu_fiscal,
  })!;
}

/** The form's fields, as typed (strings), to be shown back. */
export interface Saisie {
  annee: string;
  personnes: string;
  personnes_a_charge: string;
  revenu_fiscal: string;
  handicap: boolean;
  jeune_menage: boolean;
}

export interface Formulaire {
  saisie: Saisie;
  /** Field → French message. */
  erreurs: Partial<Record<keyof Saisie | 'menage', string>>;
  resultat: EligibiliteReponse | null;
  soumis: boolean;
}

export interface PageCommune {
  commune: CommunePublique;
  sru: SruMillesime | null;
  formulaire: Formulaire;
}

const firstString = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const isChecked = (v: unknown) => ['true', '1', 'on'].includes(firstString(v));

/** "25 000,50" (spaces, no-break spaces, a decimal comma) → "25000.50". */
const normalizeMontant = (v: string) => v.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');

/** Reads the GET form leniently: each wrong field gets its own message, shown beside it. */
export function parseFormulaire(code: string, query: Record<string, unknown>): Formulaire {
  const saisie: Saisie = {
    annee: firstString(query.annee) || String(defaultAnnee()),
    personnes: firstString(query.personnes),
    personnes_a_charge: firstString(query.personnes_a_charge),
    revenu_fiscal: firstString(query.revenu_fiscal),
    handicap: isChecked(query.handicap),
    jeune_menage: isChecked(query.jeune_menage),
  };
  const soumis = ['personnes', 'revenu_fiscal', 'personnes_a_charge'].some((k) => k in query);
  const erreurs: Formulaire['erreurs'] = {};
  if (!soumis) return { saisie, erreurs, resultat: null, soumis };

  if (!saisie.personnes.trim()) erreurs.personnes = 'Indiquez le nombre de personnes à loger (vous compris), par exemple 3.';
  if (!saisie.revenu_fiscal.trim()) erreurs.revenu_fiscal = 'Indiquez le revenu fiscal de référence du ménage, en euros, par exemple 25 000.';
  const parsed = eligibiliteQuery.safeParse({
    commune: code,
    annee: saisie.annee,
    personnes: saisie.personnes.trim() || undefined,
    personnes_a_charge: saisie.personnes_a_charge.trim() || '0',
    revenu_fiscal: normalizeMontant(saisie.revenu_fiscal) || undefined,
    handicap: saisie.handicap ? 'true' : 'false',
    jeune_menage: saisie.jeune_menage ? 'true' : 'false',
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues as z.core.$ZodIssue[]) {
      const champ = String(issue.path[0]) as keyof Saisie;
      if (!erreurs[champ]) erreurs[champ] = fieldMessage(champ, issue.message, saisie);
    }
  } else {
    const m = validateMenage({ personnes: parsed.data.personnes, personnesACharge: parsed.data.personnes_a_charge });
    if (m.length) erreurs.personnes_a_charge = m.join(' ');
    else if (!findPlafonds(parsed.data.annee!)) erreurs.annee = `Aucun plafond n’est chargé pour l’année ${parsed.data.annee} : choisissez ${ANNEES.join(', ')}.`;
  }
  return { saisie, erreurs, resultat: null, soumis };
}

/** The form says it in words, naming the value typed. */
function fieldMessage(champ: keyof Saisie, message: string, s: Saisie): string {
  const valeur = String(s[champ]);
  switch (champ) {
    case 'personnes':
      return `Nombre de personnes « ${valeur} » : un nombre entier de 1 à 30 est attendu.`;
    case 'personnes_a_charge':
      return `Personnes à charge « ${valeur} » : un nombre entier, 0 s’il n’y en a pas.`;
    case 'revenu_fiscal':
      return /négatif/.test(message)
        ? `Revenu fiscal de référence « ${valeur} » : le montant ne peut pas être négatif.`
        : `Revenu fiscal de référence « ${valeur} » : un montant en euros est attendu, par exemple 25 000.`;
    case 'annee':
      return `Année « ${valeur} » : choisissez ${ANNEES.join(', ')}.`;
    default:
      return message;
  }
}

/** GET /logement-social/{code}: undefined when the commune is unknown. */
export async function loadPageCommune(db: Executor, code: string, query: Record<string, unknown>): Promise<PageCommune | undefined> {
  const commune = await findCommunePublique(db, code);
  if (!commune) return undefined;
  const [sru, formulaire] = [await latestSru(db, code), parseFormulaire(code, query)];
  if (formulaire.soumis && Object.keys(formulaire.erreurs).length === 0) {
    const s = formulaire.saisie;
    formulaire.resultat = simuler({
      commune: { code_insee: commune.code_insee, nom: commune.nom },
      zone: zoneDeCommune(commune.code_insee),
      annee: Number(s.annee),
      menage: { personnes: Number(s.personnes), personnesACharge: Number(s.personnes_a_charge || 0), handicap: s.handicap, jeuneMenage: s.jeune_menage },
      revenuFiscal: Number(normalizeMontant(s.revenu_fiscal)),
    })!;
  }
  return { commune, sru: sru ?? null, formulaire };
}
