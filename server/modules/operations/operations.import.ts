/**
 * Import of operations from a spreadsheet (xlsx or csv). Everything is validated first; one row in
 * error and nothing is written, with every error listed (row, column, value, reason). A dry run goes
 * through exactly the same path and rolls back. Re-importing updates: the key is the SIAP number,
 * else bailleur + commune + name.
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { ETAPES } from '../../../shared/operations/etapes.js';
import type { OperationCreate } from '../../../shared/operations/operation.schema.js';
import { operationCreateSchema } from '../../../shared/operations/operation.schema.js';
import { PRODUIT_KEYS, TYPES_OPERATION } from '../../../shared/operations/referentiel.js';
import { rows, textArray, type Db, type Executor } from '../../db/client.js';
import { recordAudit } from '../../lib/audit.js';
import { parseCsv } from '../../lib/csv.js';
import { HttpError } from '../../lib/errors.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { operationPolicy } from './operations.policy.js';
import { colonnePourEntete, COLONNES, normaliser, type Colonne } from './operations.colonnes.js';
import type { OperationRow } from './operations.repository.js';
import { OPERATION_SELECT } from './operations.repository.js';
import { insertOperations, newLookupCache, prepareCreation, updateOperation, type PreparedCreation } from './operations.service.js';
import { parseDate, parseEntier, parseNombre, texteCellule } from './valeurs.js';

export interface ImportError {
  ligne: number;
  colonne: string;
  valeur: string;
  message: string;
}

export interface ImportProgress {
  phase: 'verification' | 'enregistrement';
  traitees: number;
  total: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportError[];
  dry_run: boolean;
}

interface Feuille {
  /** Header row number (1-based) and its cells. */
  ligneEntete: number;
  entetes: string[];
  lignes: { numero: number; cellules: unknown[] }[];
}

const MAX_LIGNES = 100_000;

async function lireXlsx(buffer: Buffer): Promise<Feuille> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new HttpError(422, 'fichier_illisible', 'Fichier illisible : ce n’est pas un classeur Excel (.xlsx) valide.');
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw new HttpError(422, 'fichier_vide', 'Le classeur ne contient aucune ligne.');
  let ligneEntete = 0;
  let entetes: string[] = [];
  const lignes: Feuille['lignes'] = [];
  ws.eachRow({ includeEmpty: false }, (row, numero) => {
    const values = (row.values as unknown[]).slice(1).map(texteCellule);
    if (!ligneEntete) {
      ligneEntete = numero;
      entetes = values.map((v) => (v === undefined ? '' : String(v)));
    } else if (values.some((v) => v !== undefined)) lignes.push({ numero, cellules: values });
  });
  return { ligneEntete, entetes, lignes };
}

function lireCsv(buffer: Buffer): Feuille {
  let text = buffer.toString('utf8');
  // Excel's French CSV export is often Windows-1252: fall back when UTF-8 decoding fails.
  if (text.includes('\uFFFD')) text = new TextDecoder('windows-1252').decode(buffer);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const records = parseCsv(text, delimiter);
  const entetes = Object.keys(records[0] ?? {});
  if (entetes.length === 0) {
    const header = firstLine.split(delimiter).map((h) => h.replace(/^\uFEFF/, '').replace(/^"|"$/g, ''));
    return { ligneEntete: 1, entetes: header, lignes: [] };
  }
  // parseCsv drops blank lines; line numbers are those of the records (header is line 1).
  return { ligneEntete: 1, entetes, lignes: records.map((r, i) => ({ numero: i + 2, cellules: entetes.map((h) => texteCellule(r[h])) })) };
}

export async function lireFeuille(buffer: Buffer, filename: string): Promise<Feuille> {
  const isXlsx = buffer.subarray(0, 2).toString('latin1') === 'PK' || /\.xlsx$/i.test(filename);
  const f = isXlsx ? await lireXlsx(buffer) : lireCsv(buffer);
  if (f.lignes.length > MAX_LIGNES) throw new HttpError(422, 'fichier_trop_grand', `Le fichier compte ${f.lignes.length} lignes ; au plus ${MAX_LIGNES} par import.`);
  return f;
}

interface Referentiels {
  communeParCode: Map<string, string>;
  communesParNom: Map<string, string[]>;
  bailleurParSiren: Map<string, string>;
  bailleursParNom: Map<string, string[]>;
}

async function chargerReferentiels(db: Executor, configured: string[]): Promise<Referentiels> {
  const cs = await rows<{ code_insee: string; nom: string }>(db, sql`SELECT code_insee, nom FROM communes WHERE departement = ANY(${textArray(configured)})`);
  const bs = await rows<{ id: string; nom: string; siren: string | null }>(db, sql`SELECT id, nom, siren FROM organisations WHERE type = 'bailleur'`);
  const communesParNom = new Map<string, string[]>();
  for (const c of cs) communesParNom.set(normaliser(c.nom), [...(communesParNom.get(normaliser(c.nom)) ?? []), c.code_insee]);
  const bailleursParNom = new Map<string, string[]>();
  for (const b of bs) bailleursParNom.set(normaliser(b.nom), [...(bailleursParNom.get(normaliser(b.nom)) ?? []), b.id]);
  return {
    communeParCode: new Map(cs.map((c) => [c.code_insee, c.code_insee])),
    communesParNom,
    bailleurParSiren: new Map(bs.filter((b) => b.siren).map((b) => [b.siren!, b.id])),
    bailleursParNom,
  };
}

const TYPES_PAR_NOM = new Map<string, string>();
for (const [code, libelle] of Object.entries(TYPES_OPERATION)) {
  for (const a of [code, libelle]) TYPES_PAR_NOM.set(normaliser(a), code);
}
for (const [alias, code] of Object.entries({
  'construction neuve': 'construction_neuve', neuf: 'construction_neuve', mod: 'construction_neuve', cn: 'construction_neuve',
  'maitrise d ouvrage directe': 'construction_neuve', 'construction neuve mod': 'construction_neuve',
  'vente en l etat futur d achevement': 'vefa', aa: 'acquisition_amelioration', 'acquisition amelioration': 'acquisition_amelioration',
  acquisition: 'acquisition_amelioration', 'demolition reconstruction': 'demolition_reconstruction', 'residence specifique': 'residence_specifique',
  foyer: 'residence_specifique', 'residence sociale': 'residence_specifique',
})) TYPES_PAR_NOM.set(alias, code);

const ETAPES_PAR_NOM = new Map<string, string>();
for (const e of ETAPES) for (const a of [e.code, e.libelle]) ETAPES_PAR_NOM.set(normaliser(a), e.code);
for (const [alias, code] of Object.entries({ livre: 'livree', livraison: 'livree', abandon: 'abandonnee', abandonne: 'abandonnee', agree: 'agrement', 'en travaux': 'travaux', chantier: 'travaux', os: 'travaux', ao: 'appel_offres', 'pc depose': 'permis_depose', 'pc obtenu': 'permis_obtenu', 'permis depose': 'permis_depose', 'permis obtenu': 'permis_obtenu', projet: 'projet', etude: 'projet', montage: 'projet' })) {
  ETAPES_PAR_NOM.set(alias, code);
}

/** One row of the sheet turned into an operation input, or its errors. */
function lireLigne(
  numero: number,
  cellules: unknown[],
  colonnes: (Colonne | undefined)[],
  entetes: string[],
  ref: Referentiels,
): { input?: OperationCreate & { numero_siap?: string | null }; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const v: Record<string, unknown> = {};
  const err = (i: number, valeur: unknown, message: string) =>
    errors.push({ ligne: numero, colonne: entetes[i] ?? colonnes[i]?.entete ?? '', valeur: valeur === undefined ? '' : String(valeur instanceof Date ? valeur.toISOString().slice(0, 10) : valeur), message });

  colonnes.forEach((c, i) => {
    if (!c) return;
    const raw = cellules[i];
    if (raw === undefined) {
      if (c.requis) err(i, raw, `${c.entete} : valeur obligatoire.`);
      return;
    }
    const text = String(raw instanceof Date ? '' : raw).trim();
    switch (c.type) {
      case 'texte':
        v[c.cle] = text;
        break;
      case 'entier': {
        const p = parseEntier(raw);
        if (p.ok) v[c.cle] = p.value;
        else err(i, raw, `${c.entete} : ${p.message}.`);
        break;
      }
      case 'nombre': {
        const p = parseNombre(raw);
        if (p.ok) v[c.cle] = p.value;
        else err(i, raw, `${c.entete} : ${p.message}.`);
        break;
      }
      case 'date': {
        const p = parseDate(raw);
        if (p.ok) v[c.cle] = p.value;
        else err(i, raw, `${c.entete} : ${p.message}.`);
        break;
      }
      case 'commune': {
        const code = /^\d{4,5}$|^2[AB]\d{3}$/i.test(text) ? text.toUpperCase().padStart(5, '0') : undefined;
        if (code && ref.communeParCode.has(code)) v.commune_insee = code;
        else if (code) err(i, raw, `Commune : aucun code INSEE « ${code} » dans les départements servis.`);
        else {
          const found = ref.communesParNom.get(normaliser(text)) ?? [];
          if (found.length === 1) v.commune_insee = found[0];
          else if (found.length > 1) err(i, raw, `Commune : nom ambigu (${found.join(', ')}) ; indiquez le code INSEE.`);
          else err(i, raw, 'Commune : ni code INSEE ni nom de commune connu.');
        }
        break;
      }
      case 'bailleur': {
        const siren = text.replace(/\s/g, '');
        if (/^\d{9}$/.test(siren)) {
          const id = ref.bailleurParSiren.get(siren);
          if (id) v.bailleur_id = id;
          else err(i, raw, `Bailleur : aucun bailleur de SIREN ${siren} enregistré dans Atelier.`);
        } else {
          const found = ref.bailleursParNom.get(normaliser(text)) ?? [];
          if (found.length === 1) v.bailleur_id = found[0];
          else if (found.length > 1) err(i, raw, 'Bailleur : plusieurs bailleurs portent ce nom ; indiquez le SIREN.');
          else err(i, raw, 'Bailleur : ni SIREN ni nom de bailleur connu.');
        }
        break;
      }
      case 'type_operation': {
        const code = TYPES_PAR_NOM.get(normaliser(text));
        if (code) v.type = code;
        else err(i, raw, `Type d’opération inconnu ; valeurs possibles : ${Object.values(TYPES_OPERATION).join(', ')}.`);
        break;
      }
      case 'etape': {
        const code = ETAPES_PAR_NOM.get(normaliser(text));
        if (code) v.etape = code;
        else err(i, raw, `Étape inconnue ; valeurs possibles : ${ETAPES.map((e) => e.libelle).join(', ')}.`);
        break;
      }
    }
  });
  if (errors.length) return { errors };

  const logements = Object.fromEntries(PRODUIT_KEYS.filter((k) => v[k] !== undefined).map((k) => [k, v[k]]));
  const hasLon = v.longitude !== undefined;
  const hasLat = v.latitude !== undefined;
  if (hasLon !== hasLat) {
    const i = colonnes.findIndex((c) => c?.cle === (hasLon ? 'latitude' : 'longitude'));
    err(i, undefined, 'Longitude et latitude vont ensemble : renseignez les deux.');
    return { errors };
  }
  const candidate = {
    nom: v.nom,
    commune_insee: v.commune_insee,
    bailleur_id: v.bailleur_id,
    type: v.type,
    numero_siap: v.numero_siap,
    adresse: v.adresse,
    localisation: hasLon ? { lon: v.longitude, lat: v.latitude } : undefined,
    logements: Object.keys(logements).length ? logements : undefined,
    annee_programmation: v.annee_programmation,
    etape: v.etape,
    motif_abandon: v.motif_abandon,
    cout_total: v.cout_total,
    ...Object.fromEntries(COLONNES.filter((c) => c.type === 'date' && v[c.cle] !== undefined).map((c) => [c.cle, v[c.cle]])),
  };
  const parsed = operationCreateSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const i = colonnes.findIndex((c) => c?.cle === key || (key === 'localisation' && c?.cle === 'longitude') || (key === 'logements' && c?.cle === issue.path[1]));
      err(i, i >= 0 ? cellules[i] : undefined, `${colonnes[i]?.entete ?? key} : ${issue.message}`);
    }
    return { errors };
  }
  return { input: parsed.data, errors };
}

class DryRunRollback extends Error {}

/**
 * Runs an import. `principal` bounds it to the caller's scope (undefined for the CLI's system
 * identity, which may import anywhere in the served départements).
 */
export async function importOperations(
  db: Db,
  opts: {
    actor: Actor;
    principal?: Principal;
    configured: string[];
    buffer: Buffer;
    filename: string;
    dryRun: boolean;
    requestId?: string;
    /** Called as rows are read, then written (at most every 200 rows). */
    onProgress?: (p: ImportProgress) => void;
  },
): Promise<ImportResult> {
  const progress = (phase: ImportProgress['phase'], traitees: number, total: number) => {
    if (opts.onProgress && (traitees % 200 === 0 || traitees === total)) opts.onProgress({ phase, traitees, total });
  };
  const feuille = await lireFeuille(opts.buffer, opts.filename);
  const colonnes = feuille.entetes.map((h) => (h.trim() ? colonnePourEntete(h) : undefined));
  const errors: ImportError[] = [];
  for (const c of COLONNES.filter((c) => c.requis)) {
    if (!colonnes.includes(c)) {
      errors.push({ ligne: feuille.ligneEntete, colonne: c.entete, valeur: '', message: `Colonne obligatoire absente : « ${c.entete} » (voir le modèle).` });
    }
  }
  const seen = new Map<Colonne, number>();
  colonnes.forEach((c, i) => {
    if (!c) return;
    if (seen.has(c)) errors.push({ ligne: feuille.ligneEntete, colonne: feuille.entetes[i]!, valeur: '', message: `Colonne en double : « ${feuille.entetes[seen.get(c)!]} » et « ${feuille.entetes[i]} » désignent la même donnée.` });
    seen.set(c, i);
  });
  if (errors.length) return { created: 0, updated: 0, errors, dry_run: opts.dryRun };
  if (feuille.lignes.length === 0) {
    return { created: 0, updated: 0, errors: [{ ligne: feuille.ligneEntete + 1, colonne: '', valeur: '', message: 'Aucune ligne à importer sous l’en-tête.' }], dry_run: opts.dryRun };
  }

  const ref = await chargerReferentiels(db, opts.configured);
  const lues: { numero: number; input: OperationCreate }[] = [];
  const cles = new Map<string, number>();
  for (const [n, l] of feuille.lignes.entries()) {
    progress('verification', n + 1, feuille.lignes.length);
    const r = lireLigne(l.numero, l.cellules, colonnes, feuille.entetes, ref);
    errors.push(...r.errors);
    if (!r.input) continue;
    const key = r.input.numero_siap ? `siap:${r.input.numero_siap}` : `nom:${r.input.bailleur_id}|${r.input.commune_insee}|${normaliser(r.input.nom)}`;
    if (cles.has(key)) {
      errors.push({ ligne: l.numero, colonne: r.input.numero_siap ? 'N° SIAP' : 'Nom de l’opération', valeur: r.input.numero_siap ?? r.input.nom, message: `Doublon de la ligne ${cles.get(key)} (même opération).` });
      continue;
    }
    cles.set(key, l.numero);
    if (opts.principal?.role === 'bailleur' && r.input.bailleur_id !== opts.principal.organisationId) {
      const i = colonnes.findIndex((c) => c?.cle === 'bailleur');
      errors.push({ ligne: l.numero, colonne: feuille.entetes[i]!, valeur: String(l.cellules[i] ?? ''), message: 'Bailleur : vous ne pouvez importer que les opérations de votre organisme.' });
      continue;
    }
    lues.push({ numero: l.numero, input: r.input });
  }
  if (errors.length) return { created: 0, updated: 0, errors: trier(errors), dry_run: opts.dryRun };

  let created = 0;
  let updated = 0;
  try {
    const cache = newLookupCache();
    await db.transaction(async (tx) => {
      const existing = await existants(tx, lues.map((l) => l.input));
      const ctx = { actor: opts.actor, principal: opts.principal, configured: opts.configured, requestId: opts.requestId, transitionLibre: true, cache };
      // New operations are checked row by row (errors name their row) and inserted in batches.
      let batch: PreparedCreation[] = [];
      const flush = async () => {
        // After an error the transaction will be rolled back: keep checking rows, stop writing.
        if (errors.length === 0) created += (await insertOperations(tx, ctx, batch)).length;
        batch = [];
      };
      for (const [n, l] of lues.entries()) {
        progress('enregistrement', n + 1, lues.length);
        const before = (l.input.numero_siap && existing.bySiap.get(l.input.numero_siap)) || existing.byName.get(`${l.input.bailleur_id}|${l.input.commune_insee}|${normaliser(l.input.nom)}`);
        try {
          if (before) {
            if (opts.principal && !operationPolicy.allows('read', opts.principal, before, opts.configured)) {
              throw new HttpError(422, 'hors_perimetre', `N° SIAP ${l.input.numero_siap} : déjà attribué à une opération hors de votre périmètre.`, { champ: 'numero_siap' });
            }
            await updateOperation(tx, ctx, before, l.input);
            updated++;
          } else {
            batch.push(await prepareCreation(tx, ctx, l.input));
            if (batch.length >= BATCH) await flush();
          }
        } catch (e) {
          if (!(e instanceof HttpError)) throw e;
          const champ = (e.details as { champ?: string } | undefined)?.champ ?? '';
          const cle = champ === 'commune_insee' ? 'commune' : champ === 'bailleur_id' ? 'bailleur' : champ;
          const i = colonnes.findIndex((c) => c?.cle === cle);
          errors.push({ ligne: l.numero, colonne: i >= 0 ? feuille.entetes[i]! : champ, valeur: i >= 0 ? String(feuille.lignes.find((x) => x.numero === l.numero)?.cellules[i] ?? '') : '', message: e.message });
        }
      }
      await flush();
      if (errors.length) throw new DryRunRollback();
      await recordAudit(tx, opts.actor, { action: 'import', entityType: 'operation_import', entityId: opts.filename.slice(0, 200), departement: opts.principal?.departement ?? opts.configured[0], after: { fichier: opts.filename, lignes: lues.length, creees: created, mises_a_jour: updated } }, opts.requestId);
      if (opts.dryRun) throw new DryRunRollback();
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  if (errors.length) return { created: 0, updated: 0, errors: trier(errors), dry_run: opts.dryRun };
  return { created, updated, errors: [], dry_run: opts.dryRun };
}

/** Operations inserted per statement (about 35 parameters each, far below PostgreSQL's 65,535). */
const BATCH = 500;

const trier = (errors: ImportError[]) => errors.sort((a, b) => a.ligne - b.ligne);

/** Operations that the file's rows may update, by SIAP number and by (bailleur, commune, name). */
async function existants(db: Executor, inputs: OperationCreate[]) {
  const siaps = inputs.map((i) => i.numero_siap).filter((s): s is string => Boolean(s));
  const communesDuFichier = [...new Set(inputs.map((i) => i.commune_insee))];
  const r = await rows<OperationRow>(
    db,
    sql`${OPERATION_SELECT} WHERE o.numero_siap = ANY(${textArray(siaps)}) OR o.commune_insee = ANY(${textArray(communesDuFichier)})`,
  );
  return {
    bySiap: new Map(r.filter((o) => o.numero_siap).map((o) => [o.numero_siap!, o])),
    byName: new Map(r.map((o) => [`${o.bailleur_id}|${o.commune_insee}|${normaliser(o.nom)}`, o])),
  };
}

/** The import template: the columns in French, and a sheet explaining each. */
export async function templateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Atelier';
  const ws = wb.addWorksheet('Opérations');
  ws.addRow(COLONNES.map((c) => c.entete));
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((col) => {
    col.width = 22;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const aide = wb.addWorksheet('Aide');
  aide.addRow(['Colonne', 'Obligatoire', 'Contenu']);
  aide.getRow(1).font = { bold: true };
  for (const c of COLONNES) aide.addRow([c.entete, c.requis ? 'oui' : 'non', c.aide]);
  aide.addRow([]);
  aide.addRow(['Règles', '', 'Majuscules, accents, espaces et ordre des colonnes sont indifférents. Dates en jj/mm/aaaa ou dates Excel. Nombres avec espaces ou virgules acceptés. Une ligne en erreur : rien n’est importé et toutes les erreurs sont listées. Réimporter le même fichier met à jour (clé : N° SIAP, sinon bailleur + commune + nom).']);
  aide.getColumn(1).width = 28;
  aide.getColumn(3).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
