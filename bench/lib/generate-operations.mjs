// Generates a national-scale operations register for benchmarks ONLY (never for the product's
// data): `n` operations spread over the loaded communes in proportion to their population, on
// `bailleurs` generated landlords, with blockers and timeline events (about 3 rows per operation).
// Runs as set-based SQL, identical on PGlite and PostgreSQL.
import { sql } from 'drizzle-orm';

export async function generateOperations(db, { n = 100_000, bailleurs = 60, seed = 0.42 } = {}) {
  await db.execute(sql`SELECT setseed(${seed})`);
  await db.execute(sql`
    INSERT INTO organisations (type, nom, siren, departement, demo)
    SELECT 'bailleur', 'Bailleur généré pour le banc d’essai n° ' || g, lpad((900000000 + g)::text, 9, '0'), '30', true
    FROM generate_series(1, ${bailleurs}) g`);
  // Communes weighted by population: a cumulative distribution to draw from.
  await db.execute(sql`CREATE TEMP TABLE bench_communes AS
    SELECT code_insee, epci_siren, departement,
           (sum(COALESCE(population, 1)) OVER (ORDER BY code_insee))::float8 / (sum(COALESCE(population, 1)) OVER ())::float8 AS frac
    FROM communes`);
  await db.execute(sql`CREATE INDEX ON bench_communes (frac)`);
  await db.execute(sql`ANALYZE bench_communes`);
  await db.execute(sql`CREATE TEMP TABLE bench_bailleurs AS
    SELECT id, row_number() OVER (ORDER BY siren) AS rn FROM organisations WHERE nom LIKE 'Bailleur généré pour le banc d’essai%'`);
  await db.execute(sql`CREATE INDEX ON bench_bailleurs (rn)`);
  const etapes = ['projet', 'foncier_maitrise', 'permis_depose', 'permis_obtenu', 'agrement', 'appel_offres', 'travaux', 'livree', 'abandonnee'];
  const types = ['construction_neuve', 'vefa', 'vefa', 'vefa', 'acquisition_amelioration', 'demolition_reconstruction', 'residence_specifique'];
  const etapesArr = `{${etapes.join(',')}}`;
  const typesArr = `{${types.join(',')}}`;
  const batch = 20_000;
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    await db.execute(sql`
      WITH draws AS (
        SELECT g, random() AS rc, random() AS rb, random() AS re, random() AS rt, random() AS rd, random() AS rl
        FROM generate_series(1, ${count}) g
      ), placed AS (
        SELECT d.*, c.code_insee, c.epci_siren, c.departement,
               (SELECT id FROM bench_bailleurs WHERE rn = 1 + floor(d.rb * ${bailleurs})::int) AS bailleur_id,
               (${etapesArr}::text[])[1 + floor(d.re * ${etapes.length})::int] AS etape,
               (${typesArr}::text[])[1 + floor(d.rt * ${types.length})::int] AS type,
               (date '2015-01-01' + floor(d.rd * 3650)::int) AS d0
        FROM draws d
        CROSS JOIN LATERAL (SELECT code_insee, epci_siren, departement FROM bench_communes
                            WHERE frac >= d.rc ORDER BY frac LIMIT 1) c
      )
      INSERT INTO operations (nom, commune_insee, epci_siren, departement, bailleur_id, numero_siap, type,
        plai, plus, pls, annee_programmation, etape, motif_abandon,
        date_foncier_maitrise, date_depot_permis, date_obtention_permis, date_agrement, date_ordre_service, date_livraison,
        date_livraison_prevue, cout_total, updated_at)
      SELECT 'Opération générée ' || (${start} + g), code_insee, epci_siren, departement, bailleur_id,
             'BENCH-' || (${start} + g), type,
             floor(rl * 12)::int, 1 + floor(rl * 30)::int, floor(rl * 8)::int,
             extract(year FROM d0)::int, etape,
             CASE WHEN etape = 'abandonnee' THEN 'Équilibre financier impossible (donnée générée)' END,
             CASE WHEN etape <> 'projet' THEN d0 END,
             CASE WHEN etape IN ('permis_depose','permis_obtenu','agrement','appel_offres','travaux','livree') THEN d0 + 60 END,
             CASE WHEN etape IN ('permis_obtenu','agrement','appel_offres','travaux','livree') THEN d0 + 180 END,
             CASE WHEN etape IN ('agrement','appel_offres','travaux','livree') THEN d0 + 240 END,
             CASE WHEN etape IN ('travaux','livree') THEN d0 + 420 END,
             CASE WHEN etape = 'livree' THEN d0 + 1000 END,
             d0 + 1100,
             round((800000 + rl * 6000000)::numeric, 2),
             now() - make_interval(secs => floor(rd * 100000000)::int)
      FROM placed`);
  }
  // One blocker for a third of the operations (half of them lifted), and three timeline events each.
  await db.execute(sql`
    INSERT INTO blocages (operation_id, type, description, depuis, statut, leve_le)
    SELECT id, (${'{recours,financement,foncier,urbanisme,appel_offres,acceptabilite,reseaux,risques,autre}'}::text[])[1 + floor(random() * 9)::int],
           'Blocage généré pour le banc d’essai', date '2020-01-01' + floor(random() * 1800)::int,
           CASE WHEN r < 0.5 THEN 'leve' ELSE 'ouvert' END,
           CASE WHEN r < 0.5 THEN date '2025-06-01' END
    FROM (SELECT id, random() AS r FROM operations WHERE numero_siap LIKE 'BENCH-%') o
    WHERE random() < 0.34`);
  await db.execute(sql`UPDATE operations o SET nb_blocages_ouverts = b.n
    FROM (SELECT operation_id, count(*) AS n FROM blocages WHERE statut <> 'leve' GROUP BY operation_id) b
    WHERE b.operation_id = o.id`);
  await db.execute(sql`
    INSERT INTO operation_evenements (operation_id, actor_label, kind, resume)
    SELECT id, 'système (banc d’essai)', k, CASE k WHEN 'creation' THEN 'Opération créée' WHEN 'etape' THEN 'Étape modifiée' ELSE 'Modifié : nom' END
    FROM operations CROSS JOIN (VALUES ('creation'), ('modification'), ('etape')) AS kinds(k)
    WHERE numero_siap LIKE 'BENCH-%'`);
  await db.execute(sql`DROP TABLE bench_communes`);
  await db.execute(sql`DROP TABLE bench_bailleurs`);
  await db.execute(sql`ANALYZE`);
  const r = await db.execute(sql`SELECT (SELECT count(*) FROM operations)::int AS operations,
    (SELECT count(*) FROM blocages)::int AS blocages, (SELECT count(*) FROM operation_evenements)::int AS evenements`);
  return r.rows[0];
}
