/**
 * Import of operations from a spreadsheet (xlsx or csv). Everything is validated first; one row in
 * error and nothing is written, with every error listed (row, column, value, reason). A dry run goes
 * through exactly the same path and rolls back. Re-importing updates: the key is the SIAP number,
 * else bailleur + commune + name.
 */
import ExcelJS from 'exceljs';
import { ETAPES } from '../../../shared/operations/etapes.js';
import type { OperationCreate } from '../../../shared/operations/operation.schema.js';
import { operationCreateSchema } from '../../../shared/operations/operation.schema.js';
import { PRODUIT_KEYS, TYPES_OPERATION } from '../../../shared/operations/referentiel.js';
import type { Db, Executor } from '../../db/client.js';
import { ReferenceInconnue } from '../../lib/errors.js';
import { executerImport, lireFeuille, normaliser, parseDate, parseEntier, parseNombre, type ErreurImport, type Progression, type ResultatImport } from '../../lib/import/index.js';
import type { Actor, Principal } from '../../lib/principal.js';
import { operationPolicy } from './operations.policy.js';
import { colonnePourEntete, COLONNES, type Colonne } from './operations.colonnes.js';
import { bailleurs, communesOf, operationsBySiapOrCommune } from './operations.repository.js';
import { insertOperations, newLookupCache, prepareCreation, updateOperation, type PreparedCreation } from './operations.service.js';

/** An operations import's answer: the common result, and its published English names. */
export type ImportResult = ResultatImport & { created: number; updated: number; errors: ErreurImport[] };

const MAX_LIGNES = 100_000;

interface Referentiels {
  communeParCode: Map<string, string>;
  communesParNom: Map<string, string[]>;
  bailleurParSiren: Map<string, string>;
  bailleursParNom: Map<string, string[]>;
}

async function chargerReferentiels(db: Executor, configured: string[]): Promise<Referentiels> {
  const cs = await communesOf(db, configured);
  const bs = await bailleurs(db);
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
): { input?: OperationCreate & { numero_siap?: string | null }; errors: ErreurImport[] } {
  const errors: ErreurImport[] = [];
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

interface Lue {
  numero: number;
  cellules: unknown[];
  input: OperationCreate;
}

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
    /** Called as rows are read, then written (every 200 rows). */
    onProgress?: (p: Progression) => void;
  },
): Promise<ImportResult> {
  let colonnes: (Colonne | undefined)[] = [];
  let entetes: string[] = [];
  const r = await executerImport<Lue, ErreurImport, object>(
    db,
    { actor: opts.actor, fichier: opts.filename, dryRun: opts.dryRun, requestId: opts.requestId, departement: opts.principal?.departement ?? opts.configured[0], onProgress: opts.onProgress },
    {
      entite: 'operation_import',
      vide: 'Aucune ligne à importer sous l’en-tête.',
      erreurFichier: (message) => ({ ligne: 0, colonne: '', valeur: '', message }),
      async verifier(suivi) {
        const feuille = await lireFeuille(opts.buffer, opts.filename, { maxLignes: MAX_LIGNES });
        entetes = feuille.entetes;
        colonnes = feuille.entetes.map((h) => (h.trim() ? colonnePourEntete(h) : undefined));
        for (const c of COLONNES.filter((c) => c.requis)) {
          if (!colonnes.includes(c)) suivi.erreur({ ligne: feuille.ligneEntete, colonne: c.entete, valeur: '', message: `Colonne obligatoire absente : « ${c.entete} » (voir le modèle).` });
        }
        const seen = new Map<Colonne, number>();
        colonnes.forEach((c, i) => {
          if (!c) return;
          if (seen.has(c)) suivi.erreur({ ligne: feuille.ligneEntete, colonne: feuille.entetes[i]!, valeur: '', message: `Colonne en double : « ${feuille.entetes[seen.get(c)!]} » et « ${feuille.entetes[i]} » désignent la même donnée.` });
          seen.set(c, i);
        });
        if (suivi.erreurs.length) return { lignes: feuille.lignes.length, entrees: [] };
        const ref = await chargerReferentiels(db, opts.configured);
        const lues: Lue[] = [];
        const cles = new Map<string, number>();
        for (const [n, l] of feuille.lignes.entries()) {
          await suivi.progression('verification', n + 1, feuille.lignes.length);
          const r = lireLigne(l.numero, l.cellules, colonnes, feuille.entetes, ref);
          r.errors.forEach(suivi.erreur);
          if (!r.input) continue;
          const key = r.input.numero_siap ? `siap:${r.input.numero_siap}` : `nom:${r.input.bailleur_id}|${r.input.commune_insee}|${normaliser(r.input.nom)}`;
          if (cles.has(key)) {
            suivi.erreur({ ligne: l.numero, colonne: r.input.numero_siap ? 'N° SIAP' : 'Nom de l’opération', valeur: r.input.numero_siap ?? r.input.nom, message: `Doublon de la ligne ${cles.get(key)} (même opération).` });
            continue;
          }
          cles.set(key, l.numero);
          if (opts.principal?.role === 'bailleur' && r.input.bailleur_id !== opts.principal.organisationId) {
            const i = colonnes.findIndex((c) => c?.cle === 'bailleur');
            suivi.erreur({ ligne: l.numero, colonne: feuille.entetes[i] ?? 'Bailleur', valeur: String(l.cellules[i] ?? ''), message: 'Bailleur : vous ne pouvez importer que les opérations de votre organisme.' });
            continue;
          }
          lues.push({ numero: l.numero, cellules: l.cellules, input: r.input });
        }
        return { lignes: feuille.lignes.length, entrees: lues };
      },
      async ecrire(tx, lues, suivi) {
        let creees = 0;
        let mises_a_jour = 0;
        const cache = newLookupCache();
        const existing = await existants(tx, lues.map((l) => l.input));
        const ctx = { actor: opts.actor, principal: opts.principal, configured: opts.configured, requestId: opts.requestId, transitionLibre: true, cache };
        // New operations are checked row by row (errors name their row) and inserted in batches.
        let batch: PreparedCreation[] = [];
        const flush = async () => {
          // After an error the transaction will be rolled back: keep checking rows, stop writing.
          if (suivi.erreurs.length === 0) creees += (await insertOperations(tx, ctx, batch)).length;
          batch = [];
        };
        for (const [n, l] of lues.entries()) {
          await suivi.progression('enregistrement', n + 1, lues.length);
          const before = (l.input.numero_siap && existing.bySiap.get(l.input.numero_siap)) || existing.byName.get(`${l.input.bailleur_id}|${l.input.commune_insee}|${normaliser(l.input.nom)}`);
          // A broken rule of the service becomes this row's error, on the column of the field it names.
          const situer = (champ: string) => {
            const cle = champ === 'commune_insee' ? 'commune' : champ === 'bailleur_id' ? 'bailleur' : champ;
            const i = colonnes.findIndex((c) => c?.cle === cle);
            return i >= 0 ? { colonne: entetes[i]!, valeur: String(l.cellules[i] ?? '') } : undefined;
          };
          await suivi.enregistrer({ ligne: l.numero, situer }, async () => {
            if (before) {
              if (opts.principal && !operationPolicy.allows('read', opts.principal, before, opts.configured)) {
                throw new ReferenceInconnue(`N° SIAP ${l.input.numero_siap} : déjà attribué à une opération hors de votre périmètre.`, { champ: 'numero_siap' });
              }
              await updateOperation(tx, ctx, before, l.input);
              mises_a_jour++;
            } else {
              batch.push(await prepareCreation(tx, ctx, l.input));
              if (batch.length >= BATCH) await flush();
            }
          });
        }
        await flush();
        return { creees, mises_a_jour };
      },
    },
  );
  return { ...r, created: r.creees, updated: r.mises_a_jour, errors: r.erreurs };
}

/**
 * Operations inserted per statement: small enough that one statement of the embedded database
 * (run on the event loop's thread) does not hold the other requests for long (runner.ts).
 */
const BATCH = 50;

/** Operations that the file's rows may update, by SIAP number and by (bailleur, commune, name). */
async function existants(db: Executor, inputs: OperationCreate[]) {
  const siaps = inputs.map((i) => i.numero_siap).filter((s): s is string => Boolean(s));
  const communesDuFichier = [...new Set(inputs.map((i) => i.commune_insee))];
  const r = await operationsBySiapOrCommune(db, siaps, communesDuFichier);
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
