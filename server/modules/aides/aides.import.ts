/**
 * Loading aides-territoires JSON into the catalogue (CLI, API, first start): validate everything,
 * import nothing on error, upsert on slug, audit, rebuild the typo dictionary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.js';
import { dataFolder } from '../../db/paths.js';
import { recordAudit } from '../../lib/audit.js';
import { unprocessable } from '../../lib/errors.js';
import type { Actor } from '../../lib/principal.js';
import { erreurTexte, parseCatalogue } from './aides.catalogue.js';
import { ensureFinanceurs, refreshTermes, upsertAides } from './aides.repository.js';
import { invalidateVocabulaire } from './aides.search.js';

export interface ImportReport {
  fichier: string;
  aides: number;
  creees: number;
  mises_a_jour: number;
  dry_run: boolean;
}

class DryRunRollback extends Error {}

export async function importAides(db: Db, json: unknown, opts: { actor: Actor; fichier: string; dryRun?: boolean; requestId?: string; departement?: string | null }): Promise<ImportReport> {
  const { aides, erreurs } = parseCatalogue(json);
  if (erreurs.length) {
    throw unprocessable(`Import refusé : ${erreurs.length} erreur(s), aucune aide importée. ${erreurs.slice(0, 3).map(erreurTexte).join(' ')}`, { erreurs });
  }
  let report: ImportReport | null = null;
  try {
    await db.transaction(async (tx) => {
      const r = await upsertAides(tx, aides);
      await ensureFinanceurs(tx, aides.flatMap((a) => a.financers));
      await refreshTermes(tx);
      const creees = r.filter((x) => x.inserted).length;
      report = { fichier: opts.fichier, aides: r.length, creees, mises_a_jour: r.length - creees, dry_run: Boolean(opts.dryRun) };
      await recordAudit(tx, opts.actor, { action: 'import', entityType: 'aides_import', entityId: opts.fichier.slice(0, 200), departement: opts.departement ?? null, after: report }, opts.requestId);
      if (opts.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  // Fresh planner statistics after a bulk load.
  if (!opts.dryRun) await db.execute(sql`ANALYZE aides`);
  invalidateVocabulaire();
  return report!;
}

export interface VocabulaireFichier {
  groupes: { termes: string[]; note?: string }[];
}

/**
 * First start: the shipped vocabulary and catalogue are loaded when their tables are empty (an
 * emptied catalogue is not reloaded behind the DDTM's back once aids exist or were imported).
 */
export async function ensureCatalogue(db: Db, actor: Actor): Promise<{ aides: number; vocabulaire: number }> {
  let vocabulaire = 0;
  const [v] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM aides_vocabulaire`);
  if (!v?.n) {
    const file = JSON.parse(readFileSync(join(dataFolder, 'aides-vocabulaire.json'), 'utf8')) as VocabulaireFichier;
    await db.transaction(async (tx) => {
      for (const g of file.groupes) {
        await tx.execute(sql`INSERT INTO aides_vocabulaire (termes, note) VALUES (${`{${g.termes.map((t) => `"${t.replace(/"/g, '\\"')}"`).join(',')}}`}::text[], ${g.note ?? null})`);
      }
      await recordAudit(tx, actor, { action: 'chargement', entityType: 'aides_vocabulaire', entityId: 'aides-vocabulaire.json', after: { groupes: file.groupes.length } });
    });
    vocabulaire = file.groupes.length;
    invalidateVocabulaire();
  }
  const [a] = await rows<{ n: number }>(db, sql`SELECT (SELECT count(*) FROM aides)::int + (SELECT count(*) FROM audit_log WHERE entity_type = 'aides_import')::int AS n`);
  if (a?.n) return { aides: 0, vocabulaire };
  const json = JSON.parse(readFileSync(join(dataFolder, 'aides-catalogue.json'), 'utf8')) as unknown;
  const r = await importAides(db, json, { actor, fichier: 'aides-catalogue.json' });
  return { aides: r.aides, vocabulaire };
}
