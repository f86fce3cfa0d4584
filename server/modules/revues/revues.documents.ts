/**
 * Agenda (ordre du jour) and minutes (compte rendu) of a review, and the annual report to the CDHH
 * (seed 000, solution 1: "un rendu-compte annuel devant le CDHH présidé par le préfet").
 */
import { sql } from 'drizzle-orm';
import { ETAPE_PAR_CODE } from '../../../shared/operations/etapes.js';
import { TYPES_BLOCAGE, type TypeBlocage } from '../../../shared/operations/referentiel.js';
import { rows, type Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import type { Bloc, DocumentAtelier } from '../documents/document.js';
import { indicateursOperations } from '../indicateurs/indicateurs.service.js';
import { revuePolicy } from './revues.policy.js';
import { getRevue } from './revues.service.js';

const quand = (iso: string) => new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'full', timeStyle: 'short' });
const jour = (iso: string | null) => (iso ? iso.split('-').reverse().join('/') : '—');
const genere = () => `Document produit par Atelier le ${new Date().toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' })}.`;
const etapeLibelle = (code: string) => ETAPE_PAR_CODE.get(code)?.libelle ?? code;
const blocageLibelle = (t: string) => TYPES_BLOCAGE[t as TypeBlocage] ?? t;
const ORIGINES: Record<string, string> = { en_difficulte: 'opération en difficulté', actions_en_cours: 'actions en cours', ajout: 'inscrite par l’EPCI ou la DDTM' };

export async function ordreDuJour(db: Executor, p: Principal, configured: string[], id: string): Promise<DocumentAtelier> {
  const r = await getRevue(db, p, configured, id);
  const blocs: Bloc[] = [
    { type: 'paragraphe', texte: `Revue de projet des opérations de logement social — ${r.epci.nom}, ${quand(r.date)}${r.lieu ? `, ${r.lieu}` : ''}.` },
    { type: 'titre', texte: 'Ordre du jour', niveau: 1 },
    {
      type: 'tableau',
      colonnes: ['N°', 'Opération', 'Commune', 'Bailleur', 'Étape', 'Motif d’inscription', 'Blocages ouverts'],
      lignes: r.points.map((pt) => [
        pt.ordre,
        pt.operation.nom,
        pt.operation.commune,
        pt.operation.bailleur,
        etapeLibelle(pt.operation.etape),
        ORIGINES[pt.origine] ?? pt.origine,
        pt.blocages_ouverts.map((b) => `${blocageLibelle(b.type)} (depuis le ${jour(b.depuis)})`).join(' ; ') || '—',
      ]),
    },
  ];
  const suivi = r.points.flatMap((pt) => pt.actions.filter((a) => a.statut === 'ouverte').map((a) => [pt.operation.nom, a.libelle, a.responsable, jour(a.echeance), a.en_retard ? 'en retard' : 'à échéance']));
  if (suivi.length) blocs.push({ type: 'titre', texte: 'Actions en cours à suivre', niveau: 1 }, { type: 'tableau', colonnes: ['Opération', 'Action', 'Responsable', 'Échéance', 'État'], lignes: suivi });
  if (r.participants.length) blocs.push({ type: 'titre', texte: 'Invités', niveau: 1 }, { type: 'liste', items: r.participants.map((x) => [x.nom, x.organisation, x.email].filter(Boolean).join(' — ')) });
  return { titre: `Ordre du jour — revue de projet ${r.epci.nom}`, sousTitre: quand(r.date), blocs, pied: genere() };
}

export async function compteRendu(db: Executor, p: Principal, configured: string[], id: string): Promise<DocumentAtelier> {
  const r = await getRevue(db, p, configured, id);
  const blocs: Bloc[] = [
    { type: 'paragraphe', texte: `Revue de projet des opérations de logement social — ${r.epci.nom}, ${quand(r.date)}${r.lieu ? `, ${r.lieu}` : ''}. Statut : ${r.statut}.` },
  ];
  if (r.participants.length) blocs.push({ type: 'titre', texte: 'Participants invités', niveau: 1 }, { type: 'liste', items: r.participants.map((x) => [x.nom, x.organisation, x.email].filter(Boolean).join(' — ')) });
  for (const pt of r.points) {
    blocs.push({ type: 'titre', texte: `${pt.ordre}. ${pt.operation.nom} (${pt.operation.commune}, ${pt.operation.bailleur})`, niveau: 1 });
    blocs.push({ type: 'paragraphe', texte: `Étape : ${etapeLibelle(pt.operation.etape)}. Blocages ouverts : ${pt.blocages_ouverts.map((b) => `${blocageLibelle(b.type)} — ${b.description}`).join(' ; ') || 'aucun'}.` });
    blocs.push({ type: 'titre', texte: 'Situation', niveau: 2 }, { type: 'paragraphe', texte: pt.situation ?? 'Non renseignée.' });
    blocs.push({ type: 'titre', texte: 'Décisions', niveau: 2 }, { type: 'paragraphe', texte: pt.decisions ?? 'Aucune décision consignée.' });
    if (pt.actions.length) {
      blocs.push({ type: 'titre', texte: 'Actions', niveau: 2 }, { type: 'tableau', colonnes: ['Action', 'Responsable', 'Échéance', 'État'], lignes: pt.actions.map((a) => [a.libelle, a.responsable, jour(a.echeance), a.statut === 'close' ? `close le ${jour(a.close_le)}` : a.en_retard ? 'ouverte, en retard' : 'ouverte']) });
    }
    if (pt.escalade) {
      blocs.push({ type: 'titre', texte: 'Arbitrage du préfet', niveau: 2 }, { type: 'paragraphe', texte: `Demandé : ${pt.escalade.motif ?? ''}` }, { type: 'paragraphe', texte: pt.escalade.arbitrage ? `Rendu le ${jour(pt.escalade.arbitrage_le)} : ${pt.escalade.arbitrage}` : 'En attente.' });
    }
  }
  return { titre: `Compte rendu — revue de projet ${r.epci.nom}`, sousTitre: quand(r.date), blocs, pied: genere() };
}

/** The annual report to the CDHH for the principal's département (or all, for an administrator). */
export async function rapportCdhh(db: Executor, p: Principal, configured: string[], annee: number): Promise<DocumentAtelier> {
  const i = await indicateursOperations(db, p, configured, annee);
  const a = i.projets_qui_aboutissent;
  const escalades = await rows<{ date: string | Date; epci: string; operation: string; commune: string; motif: string | null; arbitrage: string | null; arbitrage_le: string | null }>(
    db,
    sql`SELECT r.date, e.nom AS epci, o.nom AS operation, c.nom AS commune, rp.escalade_motif AS motif, rp.arbitrage, to_char(rp.arbitrage_le, 'YYYY-MM-DD') AS arbitrage_le
        FROM revue_points rp JOIN revues r ON r.id = rp.revue_id JOIN epci e ON e.siren = r.epci_siren
        JOIN operations o ON o.id = rp.operation_id JOIN communes c ON c.code_insee = o.commune_insee
        WHERE rp.escalade AND extract(year FROM r.date AT TIME ZONE 'Europe/Paris') = ${annee}
          AND ${revuePolicy.where('read', p, configured)}
        ORDER BY r.date, e.nom`,
  );
  const blocs: Bloc[] = [
    {
      type: 'paragraphe',
      texte: `Bilan ${annee} des revues de projet par EPCI (feuille de route de l’Atelier des solutions, axe 1, solution 1) : projets qui aboutissent, blocages, revues tenues, actions et arbitrages. Chiffres calculés à partir du registre des opérations d’Atelier à la date de production.`,
    },
    { type: 'titre', texte: 'Nombre de projets qui aboutissent', niveau: 1 },
    {
      type: 'tableau',
      colonnes: ['EPCI', 'Opérations suivies', 'Agréments', 'Logements agréés', 'Ordres de service', 'Livraisons', 'Logements livrés'],
      lignes: [
        ...a.par_epci.map((e) => [e.epci_nom ?? '—', e.operations, e.agrements, e.logements_agrees, e.ordres_service, e.livraisons, e.logements_livres]),
        ['Total', a.par_epci.reduce((s, e) => s + e.operations, 0), a.agrements, a.logements_agrees, a.ordres_service, a.livraisons, a.logements_livres],
      ],
    },
    ...a.par_epci.map(
      (e): Bloc => ({
        type: 'barres',
        titre: `${e.epci_nom ?? 'Sans EPCI'} — étapes franchies en ${annee}`,
        series: [
          { libelle: 'Agréments', valeur: e.agrements },
          { libelle: 'Ordres de service', valeur: e.ordres_service },
          { libelle: 'Livraisons', valeur: e.livraisons },
        ],
      }),
    ),
    { type: 'titre', texte: 'Blocages', niveau: 1 },
    {
      type: 'tableau',
      colonnes: ['Type de blocage', `Ouverts en ${annee}`, `Levés en ${annee}`, 'Encore ouverts', 'Durée médiane (jours)'],
      lignes: i.blocages.map((b) => [b.type_libelle, b.ouverts_annee, b.leves_annee, b.encore_ouverts, b.duree_mediane_jours]),
    },
    { type: 'titre', texte: 'Revues de projet et actions', niveau: 1 },
    {
      type: 'liste',
      items: [
        `Revues tenues : ${i.revues.tenues} (planifiées restant à tenir : ${i.revues.planifiees})`,
        `Points soumis à l’arbitrage du préfet : ${i.revues.escalades}, dont ${i.revues.arbitrages} arbitrés`,
        `Actions à échéance en ${annee} : ${i.actions.echeance_annee} ; closes à temps : ${i.actions.closes_a_temps}${i.actions.taux_a_temps === null ? '' : ` (${i.actions.taux_a_temps.toLocaleString('fr-FR')} %)`} ; closes en retard : ${i.actions.closes_en_retard} ; ouvertes en retard : ${i.actions.ouvertes_en_retard}`,
        `Riverains rencontrés lors des concertations : ${i.concertation.riverains_rencontres}`,
      ],
    },
    { type: 'titre', texte: 'Arbitrages demandés au préfet et suites données', niveau: 1 },
    escalades.length
      ? { type: 'tableau', colonnes: ['Revue du', 'EPCI', 'Opération', 'Motif', 'Arbitrage'], lignes: escalades.map((e) => [new Date(e.date).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }), e.epci, `${e.operation} (${e.commune})`, e.motif, e.arbitrage ? `${jour(e.arbitrage_le)} : ${e.arbitrage}` : 'en attente']) }
      : { type: 'paragraphe', texte: `Aucun point n’a été soumis à l’arbitrage du préfet en ${annee}.` },
  ];
  const territoire = p.role === 'admin' ? configured.join(', ') : p.departement ?? '';
  return { titre: `Rapport annuel au CDHH — ${annee}`, sousTitre: `Production de logement social et revues de projet — département ${territoire}`, blocs, pied: genere() };
}
