/**
 * Deliveries ahead (seed 000, AXE 5, solution 11: « Les maires souhaitent avoir une meilleure
 * connaissance des logements […] prochainement livrés sur leur territoire »): the operations of the
 * register in the caller's scope (the operations' own policy) whose planned delivery falls within
 * the horizon, with their dwellings by product and the reservation contingents the landlord recorded
 * (`operation_contingents`, this module's table).
 */
import { sql } from 'drizzle-orm';
import { operationContingents } from '../../../db/schema.js';
import type { Reservataire } from '../../../shared/attributions/referentiel.js';
import { rows, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { RegleMetier } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { operationPolicy } from '../operations/operations.policy.js';
import type { OperationRow } from '../operations/operations.repository.js';

interface LivraisonRow {
  id: string;
  nom: string;
  commune_insee: string;
  commune_nom: string;
  epci_siren: string | null;
  epci_nom: string | null;
  bailleur_id: string;
  bailleur_nom: string;
  etape: string;
  date_livraison_prevue: string;
  plai: number;
  plai_adapte: number;
  plus: number;
  pls: number;
  psla: number;
  brs: number;
  contingents: { reservataire: string; logements: number }[];
}

export async function livraisons(db: Executor, p: Principal, served: string[], horizonMois: number) {
  const [{ jusqu_au } = { jusqu_au: '' }] = await rows<{ jusqu_au: string }>(db, sql`SELECT to_char(current_date + make_interval(months => ${horizonMois}), 'YYYY-MM-DD') AS jusqu_au`);
  const r = await rows<LivraisonRow>(
    db,
    sql`SELECT o.id, o.nom, o.commune_insee, c.nom AS commune_nom, o.epci_siren, e.nom AS epci_nom, o.bailleur_id::text AS bailleur_id, b.nom AS bailleur_nom,
               o.etape, to_char(o.date_livraison_prevue, 'YYYY-MM-DD') AS date_livraison_prevue, o.plai, o.plai_adapte, o.plus, o.pls, o.psla, o.brs,
               COALESCE((SELECT json_agg(json_build_object('reservataire', oc.reservataire, 'logements', oc.logements) ORDER BY oc.reservataire)
                         FROM operation_contingents oc WHERE oc.operation_id = o.id), '[]'::json) AS contingents
        FROM operations o
        JOIN communes c ON c.code_insee = o.commune_insee
        LEFT JOIN epci e ON e.siren = o.epci_siren
        JOIN organisations b ON b.id = o.bailleur_id
        WHERE ${operationPolicy.where('read', p, served)}
          AND o.etape NOT IN ('livree', 'abandonnee')
          AND o.date_livraison_prevue >= current_date AND o.date_livraison_prevue <= ${jusqu_au}::date
        ORDER BY o.date_livraison_prevue, o.nom
        LIMIT 5000`,
  );
  return {
    horizon_mois: horizonMois,
    jusqu_au,
    count: r.length,
    results: r.map((o) => ({
      operation_id: o.id,
      nom: o.nom,
      commune: { code_insee: o.commune_insee, nom: o.commune_nom },
      epci: { siren: o.epci_siren, nom: o.epci_nom },
      bailleur: { id: o.bailleur_id, nom: o.bailleur_nom },
      etape: o.etape,
      date_livraison_prevue: o.date_livraison_prevue,
      logements: { total: o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs, plai: o.plai, plai_adapte: o.plai_adapte, plus: o.plus, pls: o.pls, psla: o.psla, brs: o.brs },
      contingents: o.contingents,
    })),
  };
}

/** Replaces the contingents of an operation the caller may edit (loaded by the operations' `loadEditable`). */
export async function enregistrerContingents(tx: Executor, p: Principal, o: OperationRow, contingents: { reservataire: Reservataire; logements: number }[], requestId?: string) {
  const vus = new Set<string>();
  for (const c of contingents) {
    if (vus.has(c.reservataire)) throw new RegleMetier(`contingents : le réservataire « ${c.reservataire} » est donné deux fois.`, { champ: 'contingents' });
    vus.add(c.reservataire);
  }
  const total = o.plai + o.plai_adapte + o.plus + o.pls + o.psla + o.brs;
  const reserves = contingents.reduce((s, c) => s + c.logements, 0);
  if (reserves > total) throw new RegleMetier(`contingents : ${reserves} logements réservés pour ${total} logements dans l’opération.`, { champ: 'contingents' });
  const avant = await rows<{ reservataire: string; logements: number }>(tx, sql`SELECT reservataire, logements FROM operation_contingents WHERE operation_id = ${o.id}::uuid ORDER BY reservataire`);
  await tx.execute(sql`DELETE FROM operation_contingents WHERE operation_id = ${o.id}::uuid`);
  const gardes = contingents.filter((c) => c.logements > 0);
  if (gardes.length) await tx.insert(operationContingents).values(gardes.map((c) => ({ operationId: o.id, reservataire: c.reservataire, logements: c.logements })));
  await recordAudit(tx, { kind: 'user', principal: p }, { action: 'contingents', entityType: 'operation', entityId: o.id, departement: o.departement, before: avant, after: gardes }, requestId);
  return { operation_id: o.id, contingents: gardes };
}
