/**
 * Matching a project to the aids it may qualify for, from the structured social-housing
 * eligibility: operation type, products, perimeter, stage. Each aid comes with why it matches and
 * what is missing or must be checked (territorial conditions the platform does not know).
 */
import { sql } from 'drizzle-orm';
import { CONDITIONS_TERRITORIALES } from '../../../shared/aides/referentiel.js';
import { rows, textArray, type Executor } from '../../db/client.js';
import type { OperationRow } from '../operations/operations.repository.js';
import { faitsSru, type FaitsSru } from '../sru/sru.import.js';
import { perimetreCodes } from './aides.perimetre.js';
import { loadBySlugs, presenter, type AideRow } from './aides.service.js';

export type Stade = 'conception' | 'realisation' | 'usage';
const ETAPES_MOBILISATION: Record<Stade, string> = {
  conception: 'Réflexion / conception',
  realisation: 'Mise en œuvre / réalisation',
  usage: 'Usage / valorisation',
};

export interface Projet {
  commune: string;
  typeOperation: string;
  produits: string[];
  stade?: Stade;
  audience: string;
}

export interface Correspondance {
  aide: ReturnType<typeof presenter>;
  eligible: boolean;
  raisons: string[];
  manques: string[];
  a_verifier: string[];
}

const TYPES_OPERATION: Record<string, string[]> = {
  construction_neuve: ['construction neuve'],
  vefa: ['VEFA'],
  acquisition_amelioration: ['acquisition-amélioration'],
  demolition_reconstruction: ['démolition', 'construction neuve'],
  residence_specifique: ['résidence spécifique'],
};
const STADE_OPERATION: Record<string, Stade> = {
  projet: 'conception',
  foncier_maitrise: 'conception',
  permis_depose: 'conception',
  permis_obtenu: 'realisation',
  agrement: 'realisation',
  appel_offres: 'realisation',
  travaux: 'realisation',
  livree: 'usage',
};

/** The project of a register operation, as the matching form would describe it. */
export function projetDeLOperation(o: OperationRow): Projet {
  const produits = (
    [
      ['PLAI', o.plai],
      ['PLAI adapté', o.plai_adapte],
      ['PLUS', o.plus],
      ['PLS', o.pls],
      ['PSLA', o.psla],
      ['BRS', o.brs],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([p]) => p);
  return { commune: o.commune_insee, typeOperation: o.type, produits, stade: STADE_OPERATION[o.etape], audience: 'social-landlord' };
}

export async function aidesEligibles(db: Executor, publicUrl: string, p: Projet): Promise<{ eligibles: Correspondance[]; partielles: Correspondance[] }> {
  const perimetres = await perimetreCodes(db, p.commune);
  const types = TYPES_OPERATION[p.typeOperation] ?? [p.typeOperation];
  const candidats = await rows<{ slug: string }>(
    db,
    sql`SELECT slug FROM aides WHERE statut = 'publiee' AND logement_social AND perimeter_code = ANY(${textArray(perimetres)})
        AND targeted_audiences && ${textArray([p.audience])}
        AND (operation_types && ${textArray(types)} OR (produits && ${textArray(p.produits.length ? p.produits : ['-'])}))`,
  );
  const aides = await loadBySlugs(db, candidats.map((c) => c.slug));
  const sru = await faitsSru(db, p.commune);
  const out = aides.map((a) => evaluer(a, p, types, publicUrl, sru));
  const rang = (c: Correspondance) => c.raisons.length - 2 * c.manques.length;
  const sorted = out.sort((x, y) => rang(y) - rang(x) || x.aide.name.localeCompare(y.aide.name, 'fr'));
  return { eligibles: sorted.filter((c) => c.eligible), partielles: sorted.filter((c) => !c.eligible) };
}

function evaluer(a: AideRow, p: Projet, types: string[], publicUrl: string, sru: FaitsSru | null): Correspondance {
  const raisons: string[] = [`périmètre : ${a.perimeter_name}`];
  const manques: string[] = [];
  const aVerifier: string[] = [];
  const typesCommuns = a.operation_types.filter((t) => types.includes(t));
  if (typesCommuns.length) raisons.push(`type d’opération : ${typesCommuns.join(', ')}`);
  else if (a.operation_types.length) manques.push(`l’aide vise d’autres opérations (${a.operation_types.join(', ')})`);
  if (a.produits.length) {
    const communs = a.produits.filter((x) => p.produits.includes(x));
    if (communs.length) raisons.push(`produits : ${communs.join(', ')}`);
    else manques.push(`produits éligibles absents du projet (${a.produits.join(', ')})`);
  }
  if (p.stade && a.mobilization_steps.length) {
    const etape = ETAPES_MOBILISATION[p.stade];
    if (a.mobilization_steps.includes(etape)) raisons.push(`mobilisable à l’étape « ${etape} »`);
    else manques.push(`mobilisable à une autre étape (${a.mobilization_steps.join(', ')})`);
  }
  for (const c of a.conditions_territoriales) {
    const libelle = CONDITIONS_TERRITORIALES.find((x) => x.code === c)?.libelle ?? c;
    const verdict = c === 'sru' || c === 'carencee' ? conditionSru(c, sru) : null;
    if (!verdict) aVerifier.push(c === 'sru' || c === 'carencee' ? `${libelle} (inventaire SRU officiel non importé pour ce département)` : libelle);
    else if (verdict.ok) raisons.push(verdict.texte);
    else manques.push(verdict.texte);
  }
  if (a.submission_deadline) aVerifier.push(`date limite de dépôt : ${a.submission_deadline}`);
  return { aide: presenter(a, publicUrl), eligible: manques.length === 0, raisons, manques, a_verifier: aVerifier };
}

const pourcent = (x: string | null) => (x == null ? '' : `, taux ${(Number(x) * 100).toLocaleString('fr-FR', { maximumFractionDigits: 2 })} %`);

/** An SRU condition checked against the latest imported official inventory of the commune's département (null: none imported). */
function conditionSru(c: 'sru' | 'carencee', s: FaitsSru | null): { ok: boolean; texte: string } | null {
  if (!s?.importe) return null;
  const dans = s.millesime === s.importe;
  const inv = `inventaire SRU ${s.importe}`;
  if (c === 'sru') {
    if (!dans) return { ok: false, texte: `commune hors du périmètre SRU (${inv})` };
    if (s.exemptee) return { ok: false, texte: `commune exemptée des obligations SRU (${inv})` };
    return { ok: true, texte: `commune soumise à la loi SRU (${inv}${s.deficitaire ? ', déficitaire' : ''}${pourcent(s.taux_sru)})` };
  }
  if (dans && s.carencee) return { ok: true, texte: `commune carencée (${inv})` };
  return { ok: false, texte: `commune non carencée (${inv})` };
}
