/**
 * Import of gisements: GeoJSON (WGS84 or Lambert-93, from the `crs` member or the coordinates'
 * ranges, reprojected by PostGIS), csv with a WKT column or lon/lat (+ surface) columns, xlsx with the
 * same columns. Everything is checked first; one feature in error and nothing is written, with every
 * error listed (feature, property, reason). A dry run goes through the same path and rolls back.
 * Re-importing updates: the key is the `identifiant` property, else an equal geometry.
 */
import { sql, type SQL } from 'drizzle-orm';
import { geometrieSchema, gisementProprietesSchema, type GisementCreate } from '../../../shared/foncier/gisement.schema.js';
import { rows, type Db, type Executor } from '../../db/client.js';
import { DomainError, HttpError, RegleMetier } from '../../lib/errors.js';
import { estJson, executerImport, lireFeuille, lireGeoJson, normaliser, parseDate, parseNombre, type ErreurImport, type Progression, type ResultatImport } from '../../lib/import/index.js';
import { analyser, carreAutour, detecterSrid, fromGeoJson, fromWkt, type Placement } from './geometrie.js';
import { createGisement, modifiable, updateGisement, type Ctx } from './foncier.service.js';
import { loadRow, type GisementRow } from './foncier.repository.js';

/** The common import error, with the gisements' published names. */
export type ImportError = ErreurImport & {
  /** Index in `features` (GeoJSON, from 0) or line number (csv, xlsx); -1 for the file itself. */
  feature: number;
  /** The property (or column) concerned. */
  propriete: string;
};

/** A gisements import's answer: the common result, and its published English names. */
export type ImportResult = ResultatImport<ImportError> & { created: number; updated: number; errors: ImportError[] };

interface Entree {
  feature: number;
  /** `ligne` of the errors: the feature's number (GeoJSON, from 1) or the line (csv, xlsx). */
  ligne: number;
  props: Record<string, unknown>;
  /** The geometry as SQL (with its SRID), or an error already found. */
  geometrie: SQL | ImportError;
}

/** An error of one entry: `ligne`/`colonne` (common) and `feature`/`propriete` (published). */
function erreur(e: Pick<Entree, 'feature' | 'ligne'>, propriete: string, message: string, valeur: unknown = ''): ImportError {
  return { ligne: e.ligne, colonne: propriete, valeur: valeur === undefined || valeur === null ? '' : typeof valeur === 'object' ? JSON.stringify(valeur) : String(valeur), message, feature: e.feature, propriete };
}

const MAX_ENTREES = 50_000;
const LISTES = new Set(['outils', 'contraintes', 'references_cadastrales', 'organisations']);
const NOMBRES = new Set(['capacite_logements', 'capacite_lls', 'taux_sms', 'epf_prix']);
const DATES = new Set(['epf_date_acquisition', 'epf_date_revente_prevue']);
const ALIAS: Record<string, string> = { longitude: 'lon', lng: 'lon', latitude: 'lat', geometrie: 'wkt', geometry: 'wkt', geom: 'wkt', code_insee: 'commune', insee: 'commune', surface: 'surface_m2' };
const cle = (h: string) => {
  const k = normaliser(h).replace(/\s+/g, '_');
  return ALIAS[k] ?? k;
};

/** Typed values from text cells or JSON properties; errors reported per property. */
function typer(e: Entree, raw: Record<string, unknown>, errors: ImportError[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k0, v] of Object.entries(raw)) {
    const k = cle(k0);
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    if (LISTES.has(k)) {
      out[k] = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.trim().toLowerCase() : x)) : String(v).split(/[;,|]/).map((x) => x.trim()).filter(Boolean).map((x) => (k === 'outils' || k === 'contraintes' ? x.toLowerCase() : x));
    } else if (NOMBRES.has(k) || k === 'lon' || k === 'lat' || k === 'surface_m2') {
      const n = parseNombre(v);
      if (n.ok) out[k] = n.value;
      else errors.push(erreur(e, k0, `${k0} : ${n.message} (« ${String(v)} »).`, v));
    } else if (DATES.has(k)) {
      const d = parseDate(v);
      if (d.ok) out[k] = d.value;
      else errors.push(erreur(e, k0, `${k0} : ${d.message} (« ${String(v)} »).`, v));
    } else if (k === 'statut' || k === 'usage_actuel' || k === 'proprietaire' || k === 'visibilite') {
      out[k] = normaliser(String(v)).replace(/\s+/g, '_');
    } else out[k] = typeof v === 'string' ? v.trim() : String(v);
  }
  return out;
}

function lireEntitesGeoJson(buffer: Buffer): Entree[] | ImportError {
  const { features, crs } = lireGeoJson(buffer, MAX_ENTREES);
  let premiere: number[] | undefined;
  for (const f of features) {
    let c: unknown = (f as { geometry?: { coordinates?: unknown } })?.geometry?.coordinates;
    while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
    if (Array.isArray(c) && typeof c[0] === 'number') {
      premiere = c as number[];
      break;
    }
  }
  const srid = detecterSrid(crs, premiere);
  if (typeof srid !== 'number') return erreur({ feature: -1, ligne: 0 }, 'crs', srid.erreur);
  return features.map((f, feature) => {
    const feat = f as { type?: string; geometry?: unknown; properties?: Record<string, unknown> | null };
    const e = { feature, ligne: feature + 1 };
    const g = geometrieSchema.safeParse(feat?.geometry);
    const geometrie: SQL | ImportError = g.success ? fromGeoJson(g.data, srid) : erreur(e, 'geometry', feat?.geometry ? `Géométrie : ${g.error.issues[0]?.message ?? 'invalide'}` : 'Entité sans géométrie.');
    return { ...e, props: feat?.properties ?? {}, geometrie };
  });
}

async function lireTableau(buffer: Buffer, filename: string): Promise<Entree[]> {
  const feuille = await lireFeuille(buffer, filename, { maxLignes: MAX_ENTREES });
  const cles = feuille.entetes.map(cle);
  return feuille.lignes.map((l) => {
    const e = { feature: l.numero, ligne: l.numero };
    const props: Record<string, unknown> = {};
    cles.forEach((k, i) => {
      if (k && l.cellules[i] !== undefined) props[k] = l.cellules[i];
    });
    let geometrie: SQL | ImportError;
    const wkt = props.wkt !== undefined ? String(props.wkt).trim() : undefined;
    if (wkt) {
      const m = wkt.match(/-?\d+(\.\d+)?\s+-?\d+(\.\d+)?/);
      const srid = detecterSrid(undefined, m ? m[0].split(/\s+/).map(Number) : undefined);
      geometrie = typeof srid === 'number' ? fromWkt(wkt.replace(/^SRID=\d+;/i, ''), srid) : erreur(e, 'wkt', srid.erreur);
    } else if (props.lon !== undefined && props.lat !== undefined) {
      const lon = parseNombre(props.lon);
      const lat = parseNombre(props.lat);
      const surface = props.surface_m2 !== undefined ? parseNombre(props.surface_m2) : undefined;
      if (!lon.ok || !lat.ok) geometrie = erreur(e, lon.ok ? 'lat' : 'lon', 'Coordonnées illisibles.', lon.ok ? props.lat : props.lon);
      else if (!surface?.ok || surface.value <= 0) geometrie = erreur(e, 'surface_m2', 'Avec lon/lat, la surface (surface_m2, en m²) est requise pour tracer l’emprise approchée.', props.surface_m2);
      else {
        const srid = detecterSrid(undefined, [lon.value, lat.value]);
        geometrie = typeof srid === 'number' ? carreAutour(lon.value, lat.value, surface.value, srid) : erreur(e, 'lon', srid.erreur, props.lon);
        props.source = [props.source, 'emprise approchée : carré de la surface indiquée autour du point'].filter(Boolean).join(' ; ');
      }
    } else geometrie = erreur(e, 'wkt', 'Géométrie absente : colonne wkt (polygone) ou colonnes lon, lat et surface_m2.');
    delete props.wkt;
    delete props.lon;
    delete props.lat;
    delete props.surface_m2;
    return { ...e, props, geometrie };
  });
}

interface Lue {
  entree: Entree;
  input: GisementCreate;
  placement: Placement;
}

export async function importGisements(db: Db, opts: Ctx & { buffer: Buffer; filename: string; dryRun: boolean; onProgress?: (p: Progression) => void }): Promise<ImportResult> {
  const r = await executerImport<Lue, ImportError, object>(
    db,
    { actor: opts.actor, fichier: opts.filename, dryRun: opts.dryRun, requestId: opts.requestId, departement: opts.principal?.departement ?? opts.configured[0], onProgress: opts.onProgress },
    {
      entite: 'gisement_import',
      vide: 'Aucune entité à importer.',
      erreurFichier: (message) => erreur({ feature: -1, ligne: 0 }, '', message),
      async verifier(suivi) {
        let entrees: Entree[];
        if (estJson(opts.buffer, opts.filename)) {
          const lu = lireEntitesGeoJson(opts.buffer);
          if (!Array.isArray(lu)) {
            suivi.erreur(lu);
            return { lignes: 0, entrees: [] };
          }
          entrees = lu;
        } else entrees = await lireTableau(opts.buffer, opts.filename);
        const lues: Lue[] = [];
        const identifiants = new Map<string, number>();
        for (const [n, e] of entrees.entries()) {
          await suivi.progression('verification', n + 1, entrees.length);
          const errs: ImportError[] = [];
          const props = typer(e, e.props, errs);
          const parsed = gisementProprietesSchema.safeParse(props);
          if (!parsed.success) {
            for (const issue of parsed.error.issues) {
              const propriete = String(issue.path[0] ?? '');
              errs.push(erreur(e, propriete, `${propriete ? `${propriete} : ` : ''}${issue.message}${propriete && props[propriete] !== undefined ? ` (« ${String(props[propriete])} »)` : ''}`, propriete ? props[propriete] : ''));
            }
          }
          let placement: Placement | undefined;
          if (!('feature' in e.geometrie)) {
            const a = await analyser(db, e.geometrie, opts.configured, parsed.success ? parsed.data.commune : undefined);
            if (a.ok) placement = a.placement;
            else errs.push(erreur(e, 'geometry', a.message));
          } else errs.push(e.geometrie);
          if (placement && opts.principal && !modifiable(opts.principal, opts.configured, { departement: placement.departement, epci_siren: placement.epciSiren, commune_insee: placement.communeInsee })) {
            errs.push(erreur(e, 'geometry', `Gisement situé sur la commune ${placement.communeInsee}, hors de votre territoire.`));
          }
          const id = parsed.success ? parsed.data.identifiant : undefined;
          if (id) {
            if (identifiants.has(id)) errs.push(erreur(e, 'identifiant', `identifiant « ${id} » en double (déjà à l’entité ${identifiants.get(id)}).`, id));
            identifiants.set(id, e.feature);
          }
          errs.forEach(suivi.erreur);
          if (!errs.length && parsed.success && placement) lues.push({ entree: e, input: { ...parsed.data, geometrie: { type: 'MultiPolygon', coordinates: [] } }, placement });
        }
        return { lignes: entrees.length, entrees: lues };
      },
      async ecrire(tx, lues, suivi) {
        let creees = 0;
        let mises_a_jour = 0;
        for (const [n, l] of lues.entries()) {
          await suivi.progression('enregistrement', n + 1, lues.length);
          const before = await existant(tx, l.input.identifiant ?? undefined, l.placement);
          try {
            if (before) {
              if (opts.principal && !modifiable(opts.principal, opts.configured, before)) throw new RegleMetier(`identifiant « ${l.input.identifiant} » : déjà celui d’un gisement hors de votre territoire.`, { champ: 'identifiant' });
              const { geometrie: _g, ...rest } = l.input;
              await updateGisement(tx, { ...opts, transitionLibre: true }, before, { ...rest, identifiant: undefined }, l.placement);
              mises_a_jour++;
            } else {
              await createGisement(tx, opts, l.input, l.placement);
              creees++;
            }
          } catch (e) {
            // A broken rule (domain error) or a refused change (HTTP error) is this feature's error.
            if (!(e instanceof DomainError) && !(e instanceof HttpError)) throw e;
            suivi.erreur(erreur(l.entree, (e.details as { champ?: string } | undefined)?.champ ?? '', e.message));
          }
        }
        return { creees, mises_a_jour };
      },
    },
  );
  return { ...r, created: r.creees, updated: r.mises_a_jour, errors: r.erreurs };
}

/**
 * Two outlines closer than this (in degrees, ~20 cm) are the same plot: an export rounded to
 * 6 decimals, or a Lambert-93 ↔ WGS84 round trip, re-imports as an update.
 */
const GEOMETRIE_IDENTIQUE_DEGRES = 2e-6;

/** The gisement a feature updates: same identifiant, else the same geometry (within ~20 cm). */
async function existant(db: Executor, identifiant: string | undefined, pl: Placement): Promise<GisementRow | undefined> {
  const r = identifiant
    ? await rows<{ id: string }>(db, sql`SELECT id FROM gisements WHERE identifiant = ${identifiant}`)
    : await rows<{ id: string }>(
        db,
        sql`WITH n AS (SELECT ST_GeomFromEWKB(decode(${pl.ewkb}, 'hex')) AS g)
            SELECT id FROM gisements, n
            WHERE gisements.geom && n.g AND ST_HausdorffDistance(gisements.geom, n.g) < ${GEOMETRIE_IDENTIQUE_DEGRES}::float8
            ORDER BY created_at LIMIT 1`,
      );
  return r[0] ? loadRow(db, r[0].id) : undefined;
}
