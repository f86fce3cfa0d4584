/**
 * The one import runner. An importer says how to read and check its file (`verifier`, outside any
 * transaction) and how to write the checked records (`ecrire`, inside the transaction the runner
 * opens); the runner does the rest, the same way for every import:
 * - all or nothing: one error anywhere and nothing is written, every error listed (`ErreurImport`);
 * - the dry run goes through exactly the same path, writes included, and is rolled back;
 * - one audit entry per import, in the import's transaction, with its summary;
 * - progress (`onProgress`) every `PAS` records, yielding to the event loop each time so that the
 *   other requests keep being answered and streamed progress leaves the process as it happens;
 * - one result shape: `fichier`, `dry_run`, `lignes`, `creees`, `mises_a_jour`, `erreurs`, plus the
 *   importer's own fields;
 * - a broken business rule met while writing a record (a `DomainError` thrown by the module's
 *   service, the same rule the API answers with a 422) becomes that record's error — its row, the
 *   column of the field the rule names, the value found there and the rule's French message —
 *   through `suivi.enregistrer`, so that an importer never catches the service's errors itself.
 */
import { setImmediate as prochainTour } from 'node:timers/promises';
import type { Db, Executor } from '../../db/client.js';
import { recordAudit } from '../audit.js';
import { DomainError } from '../errors.js';
import type { Actor } from '../principal.js';
import { FichierIllisible, trierErreurs, type ErreurImport } from './erreur.js';

export interface Progression {
  phase: 'verification' | 'enregistrement';
  traitees: number;
  total: number;
}

/** Longest refused value quoted in an error, in characters. */
const MAX_VALEUR_CITEE = 200;

/** Records between two progress reports. */
export const PAS = 200;

/**
 * Longest stretch of import work between two yields to the event loop, in ms. The embedded
 * PostgreSQL runs each statement on the event loop's thread, so importers also keep their
 * statements small (operations: 50 rows per INSERT).
 */
export const TRANCHE_MS = 20;

/** What every import answers. */
export interface ResultatImport<E extends ErreurImport = ErreurImport> {
  /** The file's name as sent. */
  fichier: string;
  dry_run: boolean;
  /** Records read (rows, features or items). */
  lignes: number;
  creees: number;
  mises_a_jour: number;
  /** Empty when the import went through; else nothing was written. */
  erreurs: E[];
}

export interface OptionsImport {
  actor: Actor;
  fichier: string;
  dryRun: boolean;
  requestId?: string;
  /** Département of the audit entry (the actor's when absent). */
  departement?: string | null;
  onProgress?: (p: Progression) => void;
}

/** The record being written, for locating a broken rule in the file. */
export interface Enregistrement {
  /** The record's number (row of the sheet, item or feature number). */
  ligne: number;
  /**
   * Where a field of the API (the `champ` a domain error names in its details) sits in the file:
   * the column's header as written and the value found there; undefined when the file has no such
   * column (the error then names the field itself).
   */
  situer?(champ: string): { colonne: string; valeur: unknown } | undefined;
}

/** What an importer hands to the runner while it reads and writes. */
export interface Suivi<E extends ErreurImport> {
  readonly erreurs: readonly E[];
  erreur(e: E): void;
  /**
   * Runs the writes of one record. A `DomainError` (a business rule of the service) becomes the
   * record's error and `undefined` is returned; the import goes on checking the next records and
   * is rolled back at the end. Any other error propagates (nothing written).
   */
  enregistrer<R>(enregistrement: Enregistrement, ecrire: () => Promise<R>): Promise<R | undefined>;
  /** Called for each record: reports progress every `PAS` records (and at the end), and yields to the event loop then or when `TRANCHE_MS` have passed. */
  progression(phase: Progression['phase'], traitees: number, total: number): Promise<void>;
}

export interface Bilan {
  creees: number;
  mises_a_jour: number;
}

export interface Importeur<T, E extends ErreurImport, X extends object> {
  /** `entity_type` of the audit entry (`operation_import`, `gisement_import`…). */
  entite: string;
  /** The refusal when the file holds no record (undefined: an empty file imports nothing, successfully). */
  vide?: string;
  /** The error for the file as a whole (the importer adds its published aliases). */
  erreurFichier(message: string): E;
  /** A record's error built by the runner (a broken rule, see `Suivi.enregistrer`), with the importer's published aliases; required when `E` has fields of its own. */
  erreurLigne?(e: ErreurImport): E;
  /** Reads and checks every record, outside any transaction; errors go to `suivi.erreur`. */
  verifier(suivi: Suivi<E>): Promise<{ lignes: number; entrees: T[] }>;
  /** Writes the checked records in the runner's transaction; errors found while writing go to `suivi.erreur` (then everything is rolled back). */
  ecrire(tx: Executor, entrees: T[], suivi: Suivi<E>): Promise<Bilan & X>;
  /** After a committed (not dry) import: caches, planner statistics. */
  apres?(db: Db): Promise<void>;
}

/** The one rollback sentinel: the transaction's work is undone (dry run, or errors found while writing). */
class AnnulerTransaction extends Error {}

/** A broken business rule met while writing a record, as that record's error. */
export function erreurDeRegle(e: DomainError, enregistrement: Enregistrement): ErreurImport {
  const champ = (e.details as { champ?: unknown } | undefined)?.champ;
  const lieu = typeof champ === 'string' ? enregistrement.situer?.(champ) : undefined;
  return { ligne: enregistrement.ligne, colonne: lieu?.colonne ?? (typeof champ === 'string' ? champ : ''), valeur: lieu?.valeur ?? '', message: e.message };
}

function suivre<E extends ErreurImport>(opts: OptionsImport, erreurLigne: (e: ErreurImport) => E = (e) => e as E): Suivi<E> {
  const erreurs: E[] = [];
  const dernier = { verification: 0, enregistrement: 0 };
  let cede = performance.now();
  return {
    erreurs,
    erreur: (e) => {
      // A refused value is quoted back, cut short: a 60 KB cell is not worth sending back whole.
      const v = (e as { valeur?: unknown }).valeur;
      erreurs.push(typeof v === 'string' && v.length > MAX_VALEUR_CITEE ? { ...e, valeur: `${v.slice(0, MAX_VALEUR_CITEE)}…` } : e);
    },
    async enregistrer(enregistrement, ecrire) {
      try {
        return await ecrire();
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        erreurs.push(erreurLigne(erreurDeRegle(e, enregistrement)));
        return undefined;
      }
    },
    async progression(phase, traitees, total) {
      const rapport = traitees - dernier[phase] >= PAS || traitees === total;
      if (rapport) {
        dernier[phase] = traitees;
        opts.onProgress?.({ phase, traitees, total });
      }
      // Reported progress leaves now, and other requests get their turn at least every TRANCHE_MS.
      if (rapport || performance.now() - cede > TRANCHE_MS) {
        await prochainTour();
        cede = performance.now();
      }
    },
  };
}

/** Runs one import: check, then write in one transaction (rolled back for a dry run), audit, summary. */
export async function executerImport<T, E extends ErreurImport, X extends object>(
  db: Db,
  opts: OptionsImport,
  importeur: Importeur<T, E, X>,
): Promise<ResultatImport<E> & Partial<X>> {
  const suivi = suivre<E>(opts, importeur.erreurLigne?.bind(importeur));
  const refus = (lignes: number) => ({ fichier: opts.fichier, dry_run: opts.dryRun, lignes, creees: 0, mises_a_jour: 0, erreurs: trierErreurs([...suivi.erreurs]) }) as ResultatImport<E> & Partial<X>;
  let lu: { lignes: number; entrees: T[] };
  try {
    lu = await importeur.verifier(suivi);
  } catch (e) {
    if (!(e instanceof FichierIllisible)) throw e;
    suivi.erreur(importeur.erreurFichier(e.message));
    return refus(0);
  }
  if (suivi.erreurs.length) return refus(lu.lignes);
  if (lu.entrees.length === 0 && importeur.vide) {
    suivi.erreur(importeur.erreurFichier(importeur.vide));
    return refus(lu.lignes);
  }

  let bilan: (Bilan & X) | undefined;
  try {
    await db.transaction(async (tx) => {
      bilan = await importeur.ecrire(tx, lu.entrees, suivi);
      if (suivi.erreurs.length) throw new AnnulerTransaction();
      const { creees, mises_a_jour, ...extra } = bilan;
      await recordAudit(
        tx,
        opts.actor,
        { action: 'import', entityType: importeur.entite, entityId: opts.fichier.slice(0, 200), departement: opts.departement, after: { fichier: opts.fichier, lignes: lu.lignes, creees, mises_a_jour, ...extra, dry_run: opts.dryRun } },
        opts.requestId,
      );
      if (opts.dryRun) throw new AnnulerTransaction();
    });
  } catch (e) {
    if (!(e instanceof AnnulerTransaction)) throw e;
  }
  if (suivi.erreurs.length) return refus(lu.lignes);
  if (!opts.dryRun) await importeur.apres?.(db);
  return { fichier: opts.fichier, dry_run: opts.dryRun, lignes: lu.lignes, ...bilan!, erreurs: [] } as ResultatImport<E> & X;
}
