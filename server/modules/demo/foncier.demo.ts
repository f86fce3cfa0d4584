/**
 * Demo gisements fonciers: a handful of fictitious plots drawn inside real commune contours, named
 * and sourced as demo data (never presented as real). Created once; left alone afterwards.
 */
import { sql } from 'drizzle-orm';
import type { GisementCreate } from '../../../shared/foncier/gisement.schema.js';
import { rows, type Db } from '../../db/client.js';
import { systemActor } from '../../lib/principal.js';
import { createGisement } from '../foncier/foncier.service.js';
import { analyser } from '../foncier/geometrie.js';

const SOURCE = 'Données de démonstration — fictives, ne décrivent aucun terrain réel';

type Demo = Omit<GisementCreate, 'geometrie'> & { commune: string; cote: number; dx: number; dy: number };

const DEMOS: Demo[] = [
  { nom: 'Friche de l’ancienne cave (démo)', commune: '30060', cote: 90, dx: 0, dy: 0, usage_actuel: 'friche', proprietaire: 'commune', capacite_logements: 35, capacite_lls: 14, outils: ['oap', 'sms'], taux_sms: 40, statut: 'etudie', visibilite: 'partage' },
  { nom: 'Dent creuse chemin des Canaux (démo)', commune: '30060', cote: 40, dx: -400, dy: 250, usage_actuel: 'dent_creuse', proprietaire: 'prive', capacite_logements: 8, capacite_lls: 3, outils: ['dpu'], statut: 'identifie' },
  { nom: 'Îlot gare Feuchères (démo)', commune: '30189', cote: 120, dx: 300, dy: -200, usage_actuel: 'bati_autre', proprietaire: 'epf', capacite_logements: 90, capacite_lls: 35, outils: ['oap', 'sms', 'zac'], taux_sms: 35, contraintes: ['ppri'], statut: 'maitrise', visibilite: 'public', epf_convention: 'Convention EPF démo n° 1 (fictive)', epf_date_acquisition: '2024-06-12', epf_date_revente_prevue: '2027-06-30', epf_prix: 1250000 },
  { nom: 'Bureaux vacants route d’Arles (démo)', commune: '30189', cote: 70, dx: -900, dy: 600, usage_actuel: 'bureaux', proprietaire: 'prive', capacite_logements: 45, capacite_lls: 15, outils: ['sms'], taux_sms: 30, statut: 'identifie' },
  { nom: 'Ancien site hospitalier (démo)', commune: '30189', cote: 150, dx: 1200, dy: 900, usage_actuel: 'foncier_hospitalier', proprietaire: 'etat', capacite_logements: 120, capacite_lls: 50, outils: ['oap', 'er'], contraintes: ['patrimoine'], statut: 'engage' },
  { nom: 'Parking du marché (démo)', commune: '30189', cote: 50, dx: -300, dy: -1300, usage_actuel: 'parking', proprietaire: 'commune', capacite_logements: 24, capacite_lls: 24, outils: ['er'], statut: 'livre', visibilite: 'public' },
  { nom: 'Terrain nu des Hauts de Marguerittes (démo)', commune: '30156', cote: 110, dx: 0, dy: 0, usage_actuel: 'terrain_nu', proprietaire: 'epci', capacite_logements: 60, capacite_lls: 20, outils: ['zad'], contraintes: ['zan'], statut: 'etudie' },
  { nom: 'Friche industrielle de Rochebelle (démo)', commune: '30007', cote: 130, dx: 0, dy: 0, usage_actuel: 'friche', proprietaire: 'epf', capacite_logements: 70, capacite_lls: 25, outils: ['oap', 'dpu'], contraintes: ['pollution'], statut: 'maitrise', epf_convention: 'Convention EPF démo n° 2 (fictive)', epf_date_acquisition: '2023-11-02', epf_prix: 640000 },
  { nom: 'Locaux d’activité avenue Jules-Guesde (démo)', commune: '30007', cote: 60, dx: 700, dy: -500, usage_actuel: 'locaux_activite', proprietaire: 'prive', capacite_logements: 28, capacite_lls: 10, outils: ['sms'], taux_sms: 35, statut: 'identifie' },
  { nom: 'Dent creuse du centre ancien (démo)', commune: '30334', cote: 35, dx: 0, dy: 0, usage_actuel: 'dent_creuse', proprietaire: 'commune', capacite_logements: 6, capacite_lls: 6, outils: [], contraintes: ['patrimoine'], statut: 'abandonne' },
  { nom: 'Terrain de l’ancienne gendarmerie (démo)', commune: '30028', cote: 80, dx: 0, dy: 0, usage_actuel: 'bati_autre', proprietaire: 'etat', capacite_logements: 30, capacite_lls: 12, outils: ['er'], statut: 'etudie', visibilite: 'partage' },
];

export async function loadDemoFoncier(db: Db, configured: string[]): Promise<number> {
  const [{ n } = { n: 0 }] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM gisements WHERE demo`);
  if (n > 0) return 0;
  const actor = systemActor('données de démonstration');
  let created = 0;
  for (const { commune, cote, dx, dy, ...input } of DEMOS) {
    const source = sql`(SELECT ST_Transform(ST_MakeEnvelope(ST_X(p) + ${dx}::float8 - ${cote / 2}::float8, ST_Y(p) + ${dy}::float8 - ${cote / 2}::float8,
                                                            ST_X(p) + ${dx}::float8 + ${cote / 2}::float8, ST_Y(p) + ${dy}::float8 + ${cote / 2}::float8, 2154), 4326)
                        FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 2154) AS p FROM communes WHERE code_insee = ${commune} AND geom IS NOT NULL) s)`;
    const a = await analyser(db, source, configured, commune).catch(() => undefined);
    // Without contours (or if the offset falls outside the commune), the plot is skipped.
    if (!a?.ok) continue;
    await db.transaction((tx) => createGisement(tx, { actor, configured }, { ...input, source: SOURCE, geometrie: { type: 'MultiPolygon', coordinates: [] } }, a.placement, { demo: true }));
    created++;
  }
  return created;
}
