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
import { executerImport, messageRefus, type Progression, type ResultatImport } from '../../lib/import/index.js';
import type { Actor } from '../../lib/principal.js';
import { LIBELLES_AIDE, parseCatalogue, type AideInput, type ImportErreur } from './aides.catalogue.js';
import { ensureFinanceurs, refreshTermes, upsertAides } from './aides.repository.js';
import { invalidateVocabulaire } from './aides.search.js';

/** An aids import's answer: the common result, and `aides` (aids read) as published. */
export type ImportReport = ResultatImport<ImportErreur> & { aides: number };

/** Imports an aides-territoires JSON document (already parsed): all or nothing, upsert on slug, audited. */
export async function importAides(
  db: Db,
  json: unknown,
  opts: { actor: Actor; fichier: string; dryRun?: boolean; requestId?: string; departement?: string | null; onProgress?: (p: Progression) => void },
): Promise<ImportReport> {
  const r = await executerImport<AideInput, ImportErreur, { aides: number }>(
    db,
    { actor: opts.actor, fichier: opts.fichier, dryRun: Boolean(opts.dryRun), requestId: opts.requestId, departement: opts.departement ?? null, onProgress: opts.onProgress },
    {
      entite: 'aides_import',
      erreurFichier: (message) => ({ ligne: 0, colonne: '', champ: '', valeur: null, message }),
      async verifier(suivi) {
        const { aides, erreurs } = parseCatalogue(json);
        erreurs.forEach(suivi.erreur);
        await suivi.progression('verification', aides.length, aides.length);
        return { lignes: aides.length, entrees: aides };
      },
      async ecrire(tx, aides, suivi) {
        const r = await upsertAides(tx, aides);
        await suivi.progression('enregistrement', aides.length, aides.length);
        await ensureFinanceurs(tx, aides.flatMap((a) => a.financers));
        await refreshTermes(tx);
        const creees = r.filter((x) => x.inserted).length;
        return { aides: r.length, creees, mises_a_jour: r.length - creees };
      },
      async apres(db) {
        // Fresh planner statistics after a bulk load.
        await db.execute(sql`ANALYZE aides`);
        invalidateVocabulaire();
      },
    },
  );
  return { ...r, aides: r.aides ?? 0 };
}

/** How an aids import's refusal reads. */
export const PRESENTATION_AIDES = { rien: 'aucune aide importée', libelles: LIBELLES_AIDE };

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
  if (r.erreurs.length) throw new Error(messageRefus(r.erreurs, PRESENTATION_AIDES));
  return { aides: r.aides, vocabulaire };
}
