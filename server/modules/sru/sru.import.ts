/**
 * Import of the official per-commune SRU inventory: the data.gouv.fr dataset "Communes et inventaire
 * SRU" (DGALN-DHUP, Licence Ouverte), one CSV per vintage. The columns change names between vintages
 * (see data/sru-national-dataset-schema.json): they are found by what their names start with or
 * contain, accents and case ignored. The file may be in windows-1252 or UTF-8, comma- or
 * semicolon-separated, with a title line before the header; numbers are French ("16,78 %",
 * "64 509,48 €", "- €" for zero). Only the communes of the instance's territory are kept (the file
 * is national); every row is checked first, and nothing is written when one is wrong.
 */
import { sql } from 'drizzle-orm';
import { rows, textArray, type Db, type Executor } from '../../db/client.js';
import { executerImport, lireFeuille, normaliser, type ErreurImport, type Feuille, type Progression, type ResultatImport } from '../../lib/import/index.js';
import type { Actor } from '../../lib/principal.js';

/** The common import error; the value is the cell's text. */
export type SruErreur = ErreurImport & { valeur: string };

interface LigneSru {
  code: string;
  population: number | null;
  tauxSru: number | null;
  tauxCible: number | null;
  deficitaire: boolean | null;
  carencee: boolean | null;
  exemptee: boolean | null;
  nbLls: number | null;
  prelevement: number | null;
}

const cle = (h: string) => normaliser(h).replace(/ /g, '_');

/** How each field's column is recognised (on the normalised header). */
const COLONNES: Record<keyof LigneSru, (h: string) => boolean> = {
  code: (h) => h === 'code_insee_commune' || h === 'code_insee',
  population: (h) => h.startsWith('population_municipale'),
  tauxSru: (h) => h.startsWith('taux_sru'),
  tauxCible: (h) => h.startsWith('taux_cible'),
  deficitaire: (h) => h.includes('deficitaire'),
  carencee: (h) => h.includes('carencee'),
  exemptee: (h) => h.includes('exemptee'),
  nbLls: (h) => h.startsWith('nombre_lls'),
  prelevement: (h) => h.startsWith('prelevement'),
};
const OBLIGATOIRES: (keyof LigneSru)[] = ['code', 'tauxSru', 'deficitaire', 'carencee'];

const nettoyer = (v: string) => v.replace(/[\s\u00a0\u202f€]/g, '');

const nombreTaux = (v: string) => Number(nettoyer(v).replace('%', '').replace(',', '.'));

/**
 * A rate column's unit, decided once for the column: percentages when a value carries "%" or
 * exceeds 1 ("16,78 %", "25"), else fractions ("0,1678"). Deciding per value would read 0,85 %
 * written without its sign as 85 %.
 */
const enPourcent = (valeurs: string[]) => valeurs.some((v) => nettoyer(v).endsWith('%') || nombreTaux(v) > 1);

/** "16,78 %" → 0.1678 (or "0,1678" in a column of fractions); "" → null. */
function taux(v: string, pourcent: boolean): number | null | undefined {
  if (!nettoyer(v)) return null;
  const n = nombreTaux(v);
  if (!Number.isFinite(n) || n < 0) return undefined;
  const r = pourcent ? n / 100 : n;
  return r <= 1 ? r : undefined;
}

/** "64 509,48 €" → 64509.48; "- €" → 0. */
function montant(v: string): number | null | undefined {
  const x = nettoyer(v);
  if (!x) return null;
  if (x === '-') return 0;
  const n = Number(x.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

function entier(v: string): number | null | undefined {
  const x = nettoyer(v);
  if (!x) return null;
  const n = Number(x);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function drapeau(v: string): boolean | null | undefined {
  const x = normaliser(v);
  if (!x) return null;
  if (x === '1' || x === 'oui' || x === 'vrai' || x === 'true') return true;
  if (x === '0' || x === 'non' || x === 'faux' || x === 'false') return false;
  return undefined;
}

export interface LectureSru {
  millesime: number;
  lignes: (LigneSru & { ligne: number })[];
  erreurs: SruErreur[];
}

const MAX_LIGNES = 100_000;

/** Checks the sheet; `millesime` when given wins over the one read from the columns. */
export function lireSru(feuille: Feuille, millesime?: number): LectureSru {
  const erreurs: SruErreur[] = [];
  const entetes = feuille.entetes;
  const entete = feuille.ligneEntete;
  const colonne = {} as Record<keyof LigneSru, number | undefined>;
  for (const champ of Object.keys(COLONNES) as (keyof LigneSru)[]) {
    const i = entetes.findIndex((x) => COLONNES[champ](cle(x)));
    colonne[champ] = i >= 0 ? i : undefined;
  }
  const nom = (champ: keyof LigneSru) => entetes[colonne[champ]!]!;
  for (const champ of OBLIGATOIRES) {
    if (colonne[champ] === undefined) erreurs.push({ ligne: entete, colonne: champ, valeur: '', message: `colonne absente (attendue : ${champ === 'code' ? 'Code_INSEE_commune' : champ === 'tauxSru' ? 'Taux_SRU_au_…' : champ === 'deficitaire' ? 'Commune_déficitaire_…' : 'Commune_carencée_…'})` });
  }
  const annee = Number(/(\d{4})$/.exec(cle(colonne.population !== undefined ? nom('population') : ''))?.[1] ?? NaN);
  const m = millesime ?? (Number.isInteger(annee) ? annee : NaN);
  if (!Number.isInteger(m) || m < 2000 || m > 2100) {
    erreurs.push({ ligne: entete, colonne: 'millésime', valeur: String(millesime ?? (colonne.population !== undefined ? nom('population') : '')), message: 'millésime introuvable : indiquez-le (option --millesime ou champ « millesime »)' });
  }
  if (erreurs.length) return { millesime: m, lignes: [], erreurs };

  const texte = (cellules: unknown[], i: number | undefined) => (i === undefined || cellules[i] === undefined ? '' : String(cellules[i]));
  const pourcent = (champ: 'tauxSru' | 'tauxCible') => enPourcent(colonne[champ] !== undefined ? feuille.lignes.map((r) => texte(r.cellules, colonne[champ])) : []);
  const unites = { tauxSru: pourcent('tauxSru'), tauxCible: pourcent('tauxCible') };
  const lignes: (LigneSru & { ligne: number })[] = [];
  for (const { numero: ligne, cellules } of feuille.lignes) {
    const lire = <T>(champ: keyof LigneSru, f: (v: string) => T | undefined, message: string): T | null => {
      if (colonne[champ] === undefined) return null;
      const v = texte(cellules, colonne[champ]);
      const x = f(v);
      if (x === undefined) {
        erreurs.push({ ligne, colonne: nom(champ), valeur: v, message });
        return null;
      }
      return x;
    };
    const brut = texte(cellules, colonne.code).trim();
    // Codes written as numbers lose their leading zero (1004 for 01004).
    const code = /^\d{4}$/.test(brut) ? `0${brut}` : brut.toUpperCase();
    if (!/^(\d{5}|2[AB]\d{3})$/.test(code)) {
      erreurs.push({ ligne, colonne: nom('code'), valeur: texte(cellules, colonne.code), message: brut ? 'code INSEE de commune invalide (5 caractères)' : 'code INSEE de commune manquant' });
      continue;
    }
    lignes.push({
      ligne,
      code,
      population: lire('population', entier, 'population invalide (nombre entier attendu)'),
      tauxSru: lire('tauxSru', (v) => taux(v, unites.tauxSru), 'taux invalide (pourcentage attendu, par ex. « 16,78 % »)'),
      tauxCible: lire('tauxCible', (v) => taux(v, unites.tauxCible), 'taux cible invalide (pourcentage attendu, par ex. « 25 % »)'),
      deficitaire: lire('deficitaire', drapeau, 'valeur attendue : 0 ou 1'),
      carencee: lire('carencee', drapeau, 'valeur attendue : 0 ou 1'),
      exemptee: lire('exemptee', drapeau, 'valeur attendue : 0 ou 1'),
      nbLls: lire('nbLls', entier, 'nombre de logements sociaux invalide (nombre entier attendu)'),
      prelevement: lire('prelevement', montant, 'montant invalide (par ex. « 64 509,48 € »)'),
    });
  }
  const vus = new Map<string, number>();
  for (const l of lignes) {
    const avant = vus.get(l.code);
    if (avant) erreurs.push({ ligne: l.ligne, colonne: nom('code'), valeur: l.code, message: `commune déjà présente ligne ${avant}` });
    else vus.set(l.code, l.ligne);
  }
  return { millesime: m, lignes, erreurs };
}

/** An SRU import's answer: the common result and the vintage's figures. */
export type RapportSru = ResultatImport<SruErreur> & {
  millesime: number;
  /** Rows of the territory's communes, written. */
  importees: number;
  /** Rows of communes outside the served territory, ignored (the file is national). */
  hors_territoire: number;
};

/** How an SRU import's refusal reads. */
export const PRESENTATION_SRU = { rien: 'rien n’est importé' };

/** Imports one vintage (upsert on commune and vintage), all or nothing, audited. */
export async function importerSru(
  db: Db,
  buffer: Buffer,
  opts: { actor: Actor; fichier: string; millesime?: number; dryRun?: boolean; requestId?: string; onProgress?: (p: Progression) => void },
): Promise<RapportSru> {
  let lecture: LectureSru | undefined;
  let horsTerritoire = 0;
  const r = await executerImport<LigneSru & { ligne: number }, SruErreur, { millesime: number; importees: number; hors_territoire: number }>(
    db,
    { actor: opts.actor, fichier: opts.fichier, dryRun: Boolean(opts.dryRun), requestId: opts.requestId, departement: null, onProgress: opts.onProgress },
    {
      entite: 'communes_sru',
      erreurFichier: (message) => ({ ligne: 0, colonne: '', valeur: '', message }),
      async verifier(suivi) {
        const feuille = await lireFeuille(buffer, opts.fichier, {
          maxLignes: MAX_LIGNES,
          estEntete: (cellules) => cellules.some((c) => /code_insee/i.test(c)),
          enteteIntrouvable: 'Colonne Code_INSEE_commune : en-tête introuvable, ce fichier n’est pas l’inventaire SRU officiel.',
        });
        lecture = lireSru(feuille, opts.millesime);
        lecture.erreurs.forEach(suivi.erreur);
        await suivi.progression('verification', lecture.lignes.length, lecture.lignes.length);
        // Only the communes of the instance's territory are kept (the file is national).
        const connues = new Set(
          (await rows<{ code: string }>(db, sql`SELECT code_insee AS code FROM communes WHERE code_insee = ANY(${textArray(lecture.lignes.map((l) => l.code))})`)).map((x) => x.code),
        );
        const gardees = lecture.lignes.filter((l) => connues.has(l.code));
        horsTerritoire = lecture.lignes.length - gardees.length;
        return { lignes: lecture.lignes.length, entrees: gardees };
      },
      async ecrire(tx, gardees, suivi) {
        let creees = 0;
        for (let i = 0; i < gardees.length; i += 500) {
          const lot = gardees.slice(i, i + 500);
          const ecrites = await rows<{ inseree: boolean }>(
            tx,
            sql`INSERT INTO communes_sru (code_insee, millesime, population, taux_sru, taux_cible, deficitaire, carencee, exemptee, nb_lls, prelevement, fichier)
            VALUES ${sql.join(
              lot.map((l) => sql`(${l.code}, ${lecture!.millesime}, ${l.population}, ${l.tauxSru}, ${l.tauxCible}, ${l.deficitaire}, ${l.carencee}, ${l.exemptee}, ${l.nbLls}, ${l.prelevement}, ${opts.fichier})`),
              sql`, `,
            )}
            ON CONFLICT (code_insee, millesime) DO UPDATE SET population = excluded.population, taux_sru = excluded.taux_sru, taux_cible = excluded.taux_cible,
              deficitaire = excluded.deficitaire, carencee = excluded.carencee, exemptee = excluded.exemptee, nb_lls = excluded.nb_lls,
              prelevement = excluded.prelevement, fichier = excluded.fichier, importe_le = now()
            RETURNING (xmax = 0) AS inseree`,
          );
          creees += ecrites.filter((x) => x.inseree).length;
          await suivi.progression('enregistrement', Math.min(i + 500, gardees.length), gardees.length);
        }
        return { millesime: lecture!.millesime, importees: gardees.length, hors_territoire: horsTerritoire, creees, mises_a_jour: gardees.length - creees };
      },
    },
  );
  return { ...r, millesime: r.millesime ?? lecture?.millesime ?? 0, importees: r.importees ?? 0, hors_territoire: r.hors_territoire ?? 0 };
}

/** The latest imported SRU facts of a commune, and whether its département has any (to tell "not in the SRU perimeter" from "not imported"). */
export type FaitsSru = NonNullable<Awaited<ReturnType<typeof faitsSru>>>;

export async function faitsSru(db: Executor, code: string) {
  const [r] = await rows<{ millesime: number | null; deficitaire: boolean | null; carencee: boolean | null; exemptee: boolean | null; taux_sru: string | null; taux_cible: string | null; importe: number | null }>(
    db,
    sql`SELECT s.millesime, s.deficitaire, s.carencee, s.exemptee, s.taux_sru::text, s.taux_cible::text,
          (SELECT max(x.millesime) FROM communes_sru x JOIN communes y ON y.code_insee = x.code_insee WHERE y.departement = c.departement) AS importe
        FROM communes c LEFT JOIN LATERAL (SELECT * FROM communes_sru s WHERE s.code_insee = c.code_insee ORDER BY s.millesime DESC LIMIT 1) s ON true
        WHERE c.code_insee = ${code}`,
  );
  return r ?? null;
}
