/**
 * The roadmap's indicators for AXE 1 and solution 7, computed live from the register (seed 000:
 * "Nombre de projets qui aboutissent"; "Nombre de riverains rencontrés par commune").
 */
import { sql } from 'drizzle-orm';
import { TYPES_BLOCAGE, type TypeBlocage } from '../../../shared/operations/referentiel.js';
import { rows, type Executor } from '../../db/client.js';
import type { Principal } from '../../lib/principal.js';
import { operationPolicy } from '../operations/operations.policy.js';
import { revuePolicy } from '../revues/revues.policy.js';


export async function indicateursOperations(db: Executor, p: Principal, configured: string[], annee: number, epci?: string) {
  const scope = sql.join([operationPolicy.where('read', p, configured), ...operationPolicy.filters({ epci })], sql` AND `);
  const debut = `${annee}-01-01`;
  const fin = `${annee}-12-31`;
  const parEpci = await rows<{
    epci_siren: string | null; epci_nom: string | null; operations: number; agrements: number; logements_agrees: number;
    ordres_service: number; livraisons: number; logements_livres: number; en_difficulte: number;
  }>(
    db,
    sql`SELECT o.epci_siren, e.nom AS epci_nom, count(*)::int AS operations,
          count(*) FILTER (WHERE o.date_agrement BETWEEN ${debut}::date AND ${fin}::date)::int AS agrements,
          COALESCE(sum(o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs) FILTER (WHERE o.date_agrement BETWEEN ${debut}::date AND ${fin}::date), 0)::int AS logements_agrees,
          count(*) FILTER (WHERE o.date_ordre_service BETWEEN ${debut}::date AND ${fin}::date)::int AS ordres_service,
          count(*) FILTER (WHERE o.date_livraison BETWEEN ${debut}::date AND ${fin}::date)::int AS livraisons,
          COALESCE(sum(o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs) FILTER (WHERE o.date_livraison BETWEEN ${debut}::date AND ${fin}::date), 0)::int AS logements_livres,
          count(*) FILTER (WHERE o.nb_blocages_ouverts > 0)::int AS en_difficulte
        FROM operations o LEFT JOIN epci e ON e.siren = o.epci_siren
        WHERE ${scope}
        GROUP BY o.epci_siren, e.nom ORDER BY e.nom`,
  );
  const blocages = await rows<{ type: string; ouverts_annee: number; leves_annee: number; encore_ouverts: number; duree_mediane_jours: number | null }>(
    db,
    sql`SELECT b.type,
          count(*) FILTER (WHERE b.depuis BETWEEN ${debut}::date AND ${fin}::date)::int AS ouverts_annee,
          count(*) FILTER (WHERE b.leve_le BETWEEN ${debut}::date AND ${fin}::date)::int AS leves_annee,
          count(*) FILTER (WHERE b.statut <> 'leve')::int AS encore_ouverts,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY (b.leve_le - b.depuis)) FILTER (WHERE b.leve_le BETWEEN ${debut}::date AND ${fin}::date) AS duree_mediane_jours
        FROM blocages b JOIN operations o ON o.id = b.operation_id
        WHERE ${scope}
        GROUP BY b.type ORDER BY b.type`,
  );
  const [revuesStats] = await rows<{ tenues: number; planifiees: number; escalades: number; arbitrages: number }>(
    db,
    sql`SELECT count(DISTINCT r.id) FILTER (WHERE r.statut = 'tenue')::int AS tenues,
               count(DISTINCT r.id) FILTER (WHERE r.statut = 'planifiee')::int AS planifiees,
               count(rp.id) FILTER (WHERE rp.escalade)::int AS escalades,
               count(rp.id) FILTER (WHERE rp.arbitrage IS NOT NULL)::int AS arbitrages
        FROM revues r LEFT JOIN revue_points rp ON rp.revue_id = r.id
        WHERE ${sql.join([revuePolicy.where('read', p, configured), ...revuePolicy.filters({ epci })], sql` AND `)}
          AND extract(year FROM r.date AT TIME ZONE 'Europe/Paris') = ${annee}`,
  );
  const [actions] = await rows<{ echeance_annee: number; closes_a_temps: number; closes_en_retard: number; ouvertes_en_retard: number }>(
    db,
    sql`SELECT count(*)::int AS echeance_annee,
               count(*) FILTER (WHERE a.statut = 'close' AND a.close_le <= a.echeance)::int AS closes_a_temps,
               count(*) FILTER (WHERE a.statut = 'close' AND a.close_le > a.echeance)::int AS closes_en_retard,
               count(*) FILTER (WHERE a.statut = 'ouverte' AND a.echeance < current_date)::int AS ouvertes_en_retard
        FROM revue_actions a JOIN operations o ON o.id = a.operation_id
        WHERE ${scope} AND a.echeance BETWEEN ${debut}::date AND ${fin}::date`,
  );
  const concertation = await rows<{ code_insee: string; nom: string; riverains_rencontres: number; actions: number }>(
    db,
    sql`SELECT c.code_insee, c.nom, sum(k.riverains_rencontres)::int AS riverains_rencontres, count(*)::int AS actions
        FROM concertations k JOIN operations o ON o.id = k.operation_id JOIN communes c ON c.code_insee = o.commune_insee
        WHERE ${scope} AND k.date BETWEEN ${debut}::date AND ${fin}::date
        GROUP BY c.code_insee, c.nom ORDER BY riverains_rencontres DESC, c.nom`,
  );
  const total = (k: 'agrements' | 'ordres_service' | 'livraisons' | 'logements_agrees' | 'logements_livres') => parEpci.reduce((s, r) => s + r[k], 0);
  return {
    annee,
    projets_qui_aboutissent: {
      agrements: total('agrements'),
      logements_agrees: total('logements_agrees'),
      ordres_service: total('ordres_service'),
      livraisons: total('livraisons'),
      logements_livres: total('logements_livres'),
      par_epci: parEpci,
    },
    blocages: blocages.map((b) => ({
      ...b,
      type_libelle: TYPES_BLOCAGE[b.type as TypeBlocage] ?? b.type,
      duree_mediane_jours: b.duree_mediane_jours === null ? null : Number(b.duree_mediane_jours),
    })),
    revues: revuesStats ?? { tenues: 0, planifiees: 0, escalades: 0, arbitrages: 0 },
    actions: {
      ...(actions ?? { echeance_annee: 0, closes_a_temps: 0, closes_en_retard: 0, ouvertes_en_retard: 0 }),
      taux_a_temps: actions && actions.echeance_annee ? Math.round((1000 * actions.closes_a_temps) / actions.echeance_annee) / 10 : null,
    },
    concertation: { riverains_rencontres: concertation.reduce((s, c) => s + c.riverains_rencontres, 0), par_commune: concertation },
  };
}
