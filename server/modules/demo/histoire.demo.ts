/**
 * The demo story (issue 12): a year of a fictitious Gard — forty operations of the two demo landlords
 * across seven EPCI at every stage, blockers of every type (some lifted), residents' consultations,
 * financing plans, documents, gisements linked to operations, the financer's aids in every status,
 * and the project reviews of Nîmes Métropole (one held with its record, decisions, actions, an
 * escalation to the préfet and its arbitration; the next ones scheduled).
 *
 * Everything is written through the public API as the demo accounts (`app.inject`), so the story
 * obeys the same rules, timeline and audit log as what users type; every record is named « (démo) »
 * and is fictitious. Dates are relative to the day the story is loaded, so the register always shows
 * a current year. Loaded once: a data dir that already holds demo operations is left alone.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { toPdf } from '../documents/document.js';
import { DEMO_PASSWORD } from './demo.loader.js';

const NIMES_METROPOLE = '243000643';

type Compte = 'agentEtat' | 'agentEpci' | 'commune' | 'bailleur' | 'bailleur2' | 'financeur' | 'epf';
const EMAILS: Record<Compte, string> = {
  agentEtat: 'agent-etat@demo.test',
  agentEpci: 'agent-epci@demo.test',
  commune: 'commune@demo.test',
  bailleur: 'bailleur@demo.test',
  bailleur2: 'bailleur2@demo.test',
  financeur: 'financeur@demo.test',
  epf: 'epf@demo.test',
};

interface Client {
  send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  upload(url: string, file: Buffer, filename: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
}

async function seConnecter(app: FastifyInstance, email: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`Histoire de démonstration : connexion de ${email} refusée (${res.statusCode}).`);
  const session = res.cookies.find((c) => c.name === 'atelier_session');
  const headers = { cookie: `atelier_session=${session?.value}`, 'x-csrf-token': res.json<{ csrf_token: string }>().csrf_token };
  return {
    send: (method, url, payload) => app.inject({ method, url, payload: payload as object | undefined, headers }),
    upload(url, file, filename, fields) {
      const boundary = `----atelier-demo-${filename.length}${file.length}`;
      const body = Buffer.concat([
        ...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({ method: 'POST', url, payload: body, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    },
  };
}

/** Sends and checks: a refused step stops the story with what the API said (a bug, not bad data). */
async function ok<T = Record<string, unknown>>(what: string, p: Promise<LightMyRequestResponse>): Promise<T> {
  const res = await p;
  if (res.statusCode >= 300) throw new Error(`Histoire de démonstration : ${what} refusé (${res.statusCode}) : ${res.body.slice(0, 500)}`);
  return (res.body ? res.json() : {}) as T;
}

/** A date `mois` months (fractions allowed) from `t0`, as AAAA-MM-JJ. */
function jourDecale(t0: Date, mois: number): string {
  const d = new Date(t0.getTime() + Math.round(mois * 30.44) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** An ISO date-time in Paris local time (the reviews' meetings), `jours` days from `t0`, at `heure`. */
function reunion(t0: Date, jours: number, heure: string): string {
  const d = new Date(t0.getTime() + jours * 86_400_000);
  // The offset of Paris on that day: +02:00 in summer time, +01:00 otherwise.
  const offset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', timeZoneName: 'shortOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
  const h = Number(offset.replace('GMT', '') || '0');
  return `${d.toISOString().slice(0, 10)}T${heure}:00+0${h}:00`;
}

type Etape = 'projet' | 'foncier_maitrise' | 'permis_depose' | 'permis_obtenu' | 'agrement' | 'appel_offres' | 'travaux' | 'livree' | 'abandonnee';
type Blocage = { type: string; description: string; depuis_mois: number; acteur?: string; leve_mois?: number };

interface OperationDemo {
  cle: string;
  nom: string;
  commune: string;
  bailleur: 'bailleur' | 'bailleur2';
  type: 'construction_neuve' | 'vefa' | 'acquisition_amelioration' | 'demolition_reconstruction' | 'residence_specifique';
  etape: Etape;
  /** Where the operation stands in time: months from today of its agrément (negative = past). */
  agrement: number;
  logements: { plai?: number; plai_adapte?: number; plus?: number; pls?: number; psla?: number; brs?: number };
  adresse?: string;
  blocages?: Blocage[];
  /** Planned dates already missed (the register shows the operation late). */
  enRetard?: boolean;
  motif_abandon?: string;
}

// Communes: Nîmes Métropole (30189 Nîmes, 30060 Caissargues, 30156 Marguerittes, 30258 Saint-Gilles,
// 30155 Manduel, 30047 Bouillargues, 30082 Clarensac), Alès Agglomération (30007 Alès, 30132 La
// Grand-Combe, 30243 Saint-Christol-lez-Alès), Gard rhodanien (30028 Bagnols-sur-Cèze), Beaucaire Terre
// d'Argence (30032 Beaucaire), Pays d'Uzès (30334 Uzès), Petite Camargue (30341 Vauvert), Terre de
// Camargue (30003 Aigues-Mortes), Pays de Sommières (30321 Sommières), Pays Viganais (30350 Le Vigan).
const OPERATIONS: OperationDemo[] = [
  { cle: 'micocouliers', nom: 'Résidence Les Micocouliers (démo)', commune: '30060', bailleur: 'bailleur', type: 'construction_neuve', etape: 'travaux', agrement: -14, logements: { plai: 8, plus: 16, pls: 4 }, adresse: '12 chemin des Canaux (fictif)' },
  { cle: 'cave', nom: 'Reconversion de l’ancienne cave coopérative (démo)', commune: '30060', bailleur: 'bailleur', type: 'acquisition_amelioration', etape: 'permis_depose', agrement: 5, logements: { plai: 5, plus: 9 }, blocages: [{ type: 'recours', description: 'Recours gracieux de deux riverains contre le permis de construire (hauteur du bâtiment).', depuis_mois: -3, acteur: 'Commune (service urbanisme)' }] },
  { cle: 'garrigues', nom: 'Les Jardins de la Garrigue (démo)', commune: '30060', bailleur: 'bailleur2', type: 'vefa', etape: 'livree', agrement: -30, logements: { plai: 6, plus: 12, pls: 2 } },
  { cle: 'courbet', nom: 'Îlot Courbet (démo)', commune: '30189', bailleur: 'bailleur', type: 'demolition_reconstruction', etape: 'agrement', agrement: -4, logements: { plai: 20, plai_adapte: 4, plus: 40, pls: 10 }, blocages: [{ type: 'appel_offres', description: 'Premier appel d’offres infructueux sur les lots gros œuvre et menuiseries : offres 18 % au-dessus de l’estimation.', depuis_mois: -2, acteur: 'Bailleur (maîtrise d’ouvrage)' }] },
  { cle: 'feucheres', nom: 'Résidence Gare Feuchères (démo)', commune: '30189', bailleur: 'bailleur', type: 'construction_neuve', etape: 'foncier_maitrise', agrement: 8, logements: { plai: 12, plus: 22, pls: 6 }, blocages: [{ type: 'risques', description: 'Terrain en zone d’aléa modéré du PPRI inondation : rez-de-chaussée à surélever, surcoût à chiffrer.', depuis_mois: -5, acteur: 'DDTM (service risques)' }] },
  { cle: 'hospitalier', nom: 'Quartier de l’ancien hôpital — tranche 1 (démo)', commune: '30189', bailleur: 'bailleur2', type: 'construction_neuve', etape: 'projet', agrement: 14, logements: { plai: 15, plus: 30, pls: 10 } },
  { cle: 'pissevin', nom: 'Pissevin — reconstitution de l’offre (démo)', commune: '30189', bailleur: 'bailleur', type: 'demolition_reconstruction', etape: 'appel_offres', agrement: -8, logements: { plai: 18, plus: 24 } },
  { cle: 'jean-jaures', nom: 'Résidence Jean-Jaurès (démo)', commune: '30189', bailleur: 'bailleur2', type: 'vefa', etape: 'travaux', agrement: -18, logements: { plai: 7, plus: 14, pls: 3 }, enRetard: true, blocages: [{ type: 'financement', description: 'Hausse des coûts de construction : l’équilibre d’opération exige 180 000 € de subventions supplémentaires.', depuis_mois: -4, acteur: 'Nîmes Métropole (délégataire des aides à la pierre)' }] },
  { cle: 'route-arles', nom: 'Bureaux de la route d’Arles transformés en logements (démo)', commune: '30189', bailleur: 'bailleur', type: 'acquisition_amelioration', etape: 'permis_depose', agrement: 2, logements: { plai: 6, plus: 15 } },
  { cle: 'marguerittes', nom: 'Les Hauts de Marguerittes (démo)', commune: '30156', bailleur: 'bailleur2', type: 'construction_neuve', etape: 'foncier_maitrise', agrement: 10, logements: { plai: 8, plus: 16, psla: 6 }, blocages: [{ type: 'urbanisme', description: 'Modification du PLU nécessaire (OAP à revoir : hauteur et stationnement).', depuis_mois: -6, acteur: 'Commune et Nîmes Métropole' }] },
  { cle: 'saint-gilles', nom: 'Résidence du Canal (démo)', commune: '30258', bailleur: 'bailleur', type: 'construction_neuve', etape: 'permis_depose', agrement: 4, logements: { plai: 10, plus: 18, pls: 4 }, blocages: [{ type: 'acceptabilite', description: 'Pétition d’une association de quartier contre la densité du projet ; réunion publique demandée par le maire.', depuis_mois: -2, acteur: 'Commune et bailleur' }] },
  { cle: 'manduel', nom: 'Cœur de Manduel (démo)', commune: '30155', bailleur: 'bailleur2', type: 'vefa', etape: 'agrement', agrement: -2, logements: { plai: 4, plus: 8, pls: 2 } },
  { cle: 'bouillargues', nom: 'Le Clos des Oliviers (démo)', commune: '30047', bailleur: 'bailleur', type: 'construction_neuve', etape: 'livree', agrement: -34, logements: { plai: 5, plus: 11 } },
  { cle: 'clarensac', nom: 'Maison de ville rue de la Fontaine (démo)', commune: '30082', bailleur: 'bailleur2', type: 'acquisition_amelioration', etape: 'abandonnee', agrement: 3, logements: { plai: 2, plus: 3 }, motif_abandon: 'Diagnostic structurel défavorable : coût de réhabilitation hors de portée (démo).' },
  { cle: 'caissargues-seniors', nom: 'Résidence seniors Les Platanes (démo)', commune: '30060', bailleur: 'bailleur2', type: 'residence_specifique', etape: 'projet', agrement: 16, logements: { plai: 10, plus: 20 } },
  { cle: 'ales-rochebelle', nom: 'Friche de Rochebelle — logements (démo)', commune: '30007', bailleur: 'bailleur2', type: 'construction_neuve', etape: 'foncier_maitrise', agrement: 7, logements: { plai: 14, plus: 26, pls: 6 }, blocages: [{ type: 'foncier', description: 'Pollution des sols plus étendue que prévu : dépollution à financer avant la revente par l’EPF.', depuis_mois: -7, acteur: 'EPF et Alès Agglomération' }] },
  { cle: 'ales-jules-guesde', nom: 'Résidence Jules-Guesde (démo)', commune: '30007', bailleur: 'bailleur2', type: 'acquisition_amelioration', etape: 'travaux', agrement: -12, logements: { plai: 6, plus: 12 } },
  { cle: 'ales-tamaris', nom: 'Les Tamaris (démo)', commune: '30007', bailleur: 'bailleur', type: 'construction_neuve', etape: 'livree', agrement: -28, logements: { plai: 9, plus: 17, pls: 4 } },
  { cle: 'grand-combe', nom: 'Cité minière — réhabilitation (démo)', commune: '30132', bailleur: 'bailleur2', type: 'acquisition_amelioration', etape: 'permis_obtenu', agrement: 1, logements: { plai: 8, plus: 10 }, enRetard: true, blocages: [{ type: 'reseaux', description: 'Raccordement électrique : le renforcement du poste de distribution est annoncé dans 14 mois.', depuis_mois: -3, acteur: 'Gestionnaire du réseau de distribution' }] },
  { cle: 'saint-christol', nom: 'Le Mas des Cigales (démo)', commune: '30243', bailleur: 'bailleur', type: 'vefa', etape: 'appel_offres', agrement: -6, logements: { plai: 4, plus: 10, pls: 2 } },
  { cle: 'bagnols-centre', nom: 'Bagnols centre ancien — îlot des Remparts (démo)', commune: '30028', bailleur: 'bailleur', type: 'acquisition_amelioration', etape: 'agrement', agrement: -3, logements: { plai: 7, plus: 9 } },
  { cle: 'bagnols-gendarmerie', nom: 'Ancienne gendarmerie (démo)', commune: '30028', bailleur: 'bailleur2', type: 'construction_neuve', etape: 'projet', agrement: 12, logements: { plai: 6, plus: 14, pls: 4 } },
  { cle: 'bagnols-cedres', nom: 'Résidence Les Cèdres (démo)', commune: '30028', bailleur: 'bailleur', type: 'construction_neuve', etape: 'travaux', agrement: -16, logements: { plai: 8, plus: 16 } },
  { cle: 'beaucaire-canal', nom: 'Quai du Canal (démo)', commune: '30032', bailleur: 'bailleur', type: 'construction_neuve', etape: 'permis_depose', agrement: 6, logements: { plai: 6, plus: 14, pls: 4 }, blocages: [{ type: 'risques', description: 'Avis réservé au titre du PPRI Rhône : cote de plancher à relever, permis modificatif à déposer.', depuis_mois: -1, acteur: 'Bailleur (architecte)' }] },
  { cle: 'beaucaire-roseraie', nom: 'La Roseraie (démo)', commune: '30032', bailleur: 'bailleur2', type: 'vefa', etape: 'livree', agrement: -26, logements: { plai: 5, plus: 10, pls: 3 } },
  { cle: 'uzes-ecole', nom: 'Ancienne école du faubourg (démo)', commune: '30334', bailleur: 'bailleur', type: 'acquisition_amelioration', etape: 'permis_depose', agrement: 5, logements: { plai: 3, plus: 6 }, blocages: [{ type: 'urbanisme', description: 'Avis de l’architecte des Bâtiments de France attendu (site patrimonial remarquable).', depuis_mois: -2, acteur: 'UDAP du Gard' }] },
  { cle: 'uzes-mas', nom: 'Le Mas de la Fontaine (démo)', commune: '30334', bailleur: 'bailleur2', type: 'construction_neuve', etape: 'agrement', agrement: -1, logements: { plai: 6, plus: 12, brs: 6 } },
  { cle: 'vauvert-arenes', nom: 'Résidence des Arènes (démo)', commune: '30341', bailleur: 'bailleur', type: 'construction_neuve', etape: 'travaux', agrement: -13, logements: { plai: 9, plus: 17, pls: 4 }, blocages: [{ type: 'appel_offres', description: 'Défaillance de l’entreprise de gros œuvre en cours de chantier : nouvel appel d’offres lancé.', depuis_mois: -5, acteur: 'Bailleur', leve_mois: -1 }] },
  { cle: 'vauvert-vignes', nom: 'Les Vignes de Vauvert (démo)', commune: '30341', bailleur: 'bailleur2', type: 'vefa', etape: 'projet', agrement: 11, logements: { plai: 5, plus: 12, pls: 3 } },
  { cle: 'aigues-mortes', nom: 'Résidence des Salins (démo)', commune: '30003', bailleur: 'bailleur', type: 'construction_neuve', etape: 'foncier_maitrise', agrement: 9, logements: { plai: 6, plus: 12 }, blocages: [{ type: 'foncier', description: 'Prix du terrain au-dessus de l’estimation des Domaines : négociation avec le propriétaire.', depuis_mois: -4, acteur: 'Commune et EPF' }, { type: 'risques', description: 'Submersion marine : étude de vulnérabilité demandée.', depuis_mois: -6, acteur: 'DDTM', leve_mois: -2 }] },
  { cle: 'sommieres', nom: 'Faubourg du Pont (démo)', commune: '30321', bailleur: 'bailleur2', type: 'acquisition_amelioration', etape: 'appel_offres', agrement: -5, logements: { plai: 4, plus: 7 }, blocages: [{ type: 'autre', description: 'Diagnostic archéologique prescrit par la DRAC avant travaux.', depuis_mois: -1, acteur: 'DRAC Occitanie' }] },
  { cle: 'le-vigan', nom: 'Résidence du Parc (démo)', commune: '30350', bailleur: 'bailleur2', type: 'construction_neuve', etape: 'permis_obtenu', agrement: 2, logements: { plai: 5, plus: 9 }, blocages: [{ type: 'financement', description: 'Zone détendue : loyers de sortie trop bas pour équilibrer, subvention départementale sollicitée.', depuis_mois: -3, acteur: 'Département du Gard' }] },
  { cle: 'nimes-valdegour', nom: 'Valdegour — résidentialisation (démo)', commune: '30189', bailleur: 'bailleur', type: 'acquisition_amelioration', etape: 'livree', agrement: -22, logements: { plai: 10, plus: 20 } },
  { cle: 'nimes-pensionnat', nom: 'Ancien pensionnat (démo)', commune: '30189', bailleur: 'bailleur2', type: 'residence_specifique', etape: 'permis_depose', agrement: 3, logements: { plai: 24, plai_adapte: 6 }, blocages: [{ type: 'acceptabilite', description: 'Inquiétudes des riverains sur une résidence sociale : permanence d’information organisée.', depuis_mois: -3, acteur: 'Bailleur et commune', leve_mois: -1 }] },
  { cle: 'caissargues-ecoquartier', nom: 'Écoquartier des Canaux — lot B (démo)', commune: '30060', bailleur: 'bailleur', type: 'vefa', etape: 'agrement', agrement: -6, logements: { plai: 6, plus: 12, pls: 3, brs: 5 }, enRetard: true },
  { cle: 'manduel-gare', nom: 'Quartier de la gare TGV — îlot 3 (démo)', commune: '30155', bailleur: 'bailleur', type: 'construction_neuve', etape: 'projet', agrement: 18, logements: { plai: 12, plus: 28, pls: 8 } },
  { cle: 'saint-gilles-abbaye', nom: 'Îlot de l’Abbaye (démo)', commune: '30258', bailleur: 'bailleur2', type: 'acquisition_amelioration', etape: 'travaux', agrement: -10, logements: { plai: 4, plus: 8 } },
  { cle: 'marguerittes-centre', nom: 'Place de la Mairie (démo)', commune: '30156', bailleur: 'bailleur', type: 'vefa', etape: 'appel_offres', agrement: -7, logements: { plai: 3, plus: 7, pls: 2 } },
  { cle: 'ales-gare', nom: 'Îlot de la gare d’Alès (démo)', commune: '30007', bailleur: 'bailleur', type: 'construction_neuve', etape: 'agrement', agrement: -3, logements: { plai: 10, plus: 20, pls: 5 } },
  { cle: 'bagnols-abandon', nom: 'Terrain des Escanaux (démo)', commune: '30028', bailleur: 'bailleur', type: 'construction_neuve', etape: 'abandonnee', agrement: 6, logements: { plai: 4, plus: 8 }, motif_abandon: 'Le propriétaire a retiré son terrain de la vente (démo).' },
];

const RANG: Record<Etape, number> = { projet: 0, foncier_maitrise: 1, permis_depose: 2, permis_obtenu: 3, agrement: 4, appel_offres: 5, travaux: 6, livree: 7, abandonnee: -1 };

/** The operation's fields at its stage, with dates consistent with its agrément date. */
function champs(o: OperationDemo, t0: Date, bailleurs: Record<'bailleur' | 'bailleur2', string>, asBailleur: boolean) {
  const rang = RANG[o.etape];
  const a = o.agrement;
  const nb = Object.values(o.logements).reduce((s, n) => s + (n ?? 0), 0);
  const passe = (mois: number, r: number) => (rang >= r ? jourDecale(t0, mois) : null);
  const cout = Math.round(nb * (o.type === 'acquisition_amelioration' ? 135_000 : 165_000));
  const f: Record<string, unknown> = {
    nom: o.nom,
    commune_insee: o.commune,
    type: o.type,
    logements: o.logements,
    adresse: o.adresse ?? null,
    ...(asBailleur ? {} : { bailleur_id: bailleurs[o.bailleur] }),
    annee_programmation: Number(jourDecale(t0, a).slice(0, 4)),
    etape: o.etape,
    date_foncier_maitrise: passe(a - 10, 1),
    date_depot_permis: passe(a - 6, 2),
    date_obtention_permis: passe(a - 2, 3),
    date_agrement: passe(a, 4),
    date_appel_offres: passe(a + 3, 5),
    date_ordre_service: passe(a + 6, 6),
    date_livraison: passe(a + 26, 7),
    contact_riverains: rang >= 2 ? '04 66 00 00 00 (numéro fictif)' : null,
  };
  // Planned dates for what is still to come; a late operation's planned date has passed.
  const retard = o.enRetard ? -2 : 0;
  if (rang >= 0 && rang < 4) f.date_agrement_prevue = jourDecale(t0, Math.max(a, 1) + retard);
  if (rang >= 0 && rang < 6) f.date_ordre_service_prevue = jourDecale(t0, Math.max(a + 6, rang >= 4 ? 1 : a + 6) + (rang >= 4 ? retard : 0));
  if (rang >= 0 && rang < 7) f.date_livraison_prevue = jourDecale(t0, Math.max(a + 26, 3) + (rang === 6 ? retard : 0));
  if (o.etape === 'abandonnee') f.motif_abandon = o.motif_abandon;
  if (rang >= 4) {
    f.cout_total = cout;
    const plai = (o.logements.plai ?? 0) + (o.logements.plai_adapte ?? 0);
    const subventionEtat = plai * 11_000;
    const collectivites = Math.round(nb * 4_500);
    const fondsPropres = Math.round(cout * 0.12);
    f.plan_financement = [
      { categorie: 'pret', source: 'Prêts PLAI et PLUS (Banque des Territoires)', montant: cout - subventionEtat - collectivites - fondsPropres - nb * 2_000 },
      { categorie: 'pret', source: 'Prêt Action Logement', financeur: 'Action Logement', montant: nb * 2_000 },
      { categorie: 'subvention', source: 'Aide à la pierre PLAI (FNAP)', financeur: 'État', montant: subventionEtat },
      { categorie: 'subvention', source: 'Subvention des collectivités', financeur: 'EPCI et Département', montant: collectivites },
      { categorie: 'fonds_propres', source: 'Fonds propres du bailleur', montant: fondsPropres },
    ];
  }
  return f;
}

export interface HistoireChargee {
  operations: number;
  blocages: number;
  concertations: number;
  documents: number;
  revues: number;
  aides: number;
  gisements_lies: number;
}

/** True when the data dir already holds the story (it is loaded once). */
export async function histoireChargee(app: FastifyInstance): Promise<boolean> {
  const [r] = await rows<{ n: number }>(app.database.db, sql`SELECT count(*)::int AS n FROM operations WHERE nom LIKE '%(démo)'`);
  return (r?.n ?? 0) > 0;
}

/**
 * Loads the story through the API. Returns what it created, or null when it was already there.
 * `aujourdhui` is the day the story is told from; the API checks dates against the real day (a
 * blocker cannot start in the future), so it must be today or a little before.
 */
export async function chargerHistoireDemo(app: FastifyInstance, { aujourdhui = new Date() }: { aujourdhui?: Date } = {}): Promise<HistoireChargee | null> {
  if (await histoireChargee(app)) return null;
  const t0 = aujourdhui;
  const c = {} as Record<Compte, Client>;
  for (const [k, email] of Object.entries(EMAILS) as [Compte, string][]) c[k] = await seConnecter(app, email);
  const bailleurs = {
    bailleur: (await ok<{ organisation: { id: string } }>('profil du bailleur', c.bailleur.send('GET', '/api/v1/me'))).organisation.id,
    bailleur2: (await ok<{ organisation: { id: string } }>('profil du second bailleur', c.bailleur2.send('GET', '/api/v1/me'))).organisation.id,
  };
  const n: HistoireChargee = { operations: 0, blocages: 0, concertations: 0, documents: 0, revues: 0, aides: 0, gisements_lies: 0 };

  // 1. The register: each landlord declares its operations.
  const ids: Record<string, string> = {};
  for (const o of OPERATIONS) {
    const client = c[o.bailleur];
    const created = await ok<{ id: string }>(`création de « ${o.nom} »`, client.send('POST', '/api/v1/operations', champs(o, t0, bailleurs, true)));
    ids[o.cle] = created.id;
    n.operations++;
    for (const b of o.blocages ?? []) {
      const bl = await ok<{ id: string }>(`blocage de « ${o.nom} »`, client.send('POST', `/api/v1/operations/${created.id}/blocages`, { type: b.type, description: b.description, depuis: jourDecale(t0, b.depuis_mois), acteur_attendu: b.acteur ?? null }));
      n.blocages++;
      if (b.leve_mois !== undefined) {
        await ok(`levée d’un blocage de « ${o.nom} »`, client.send('PATCH', `/api/v1/operations/${created.id}/blocages/${bl.id}`, { statut: 'leve', leve_le: jourDecale(t0, b.leve_mois) }));
      }
    }
  }
  // A few operations move on during the year (the timeline shows the step).
  await ok('avancement de « Route d’Arles »', c.bailleur.send('PATCH', `/api/v1/operations/${ids['route-arles']}`, { etape: 'permis_obtenu', date_obtention_permis: jourDecale(t0, -0.5) }));

  // 2. Residents' consultations (solution 7).
  const concertations: [string, 'bailleur' | 'bailleur2', Record<string, unknown>][] = [
    ['saint-gilles', 'bailleur', { modalite: 'reunion_publique', date: jourDecale(t0, -1), riverains_rencontres: 64, preoccupations: 'Densité, stationnement dans la rue, ombre portée sur les jardins voisins.', reponses: 'Hauteur réduite d’un niveau côté jardins, 20 places de stationnement en sous-sol, plan de circulation de chantier présenté.' }],
    ['nimes-pensionnat', 'bailleur2', { modalite: 'permanence', date: jourDecale(t0, -2), riverains_rencontres: 23, preoccupations: 'Qui seront les résidents ? Gestion de la résidence la nuit.', reponses: 'Présentation du gestionnaire et du projet social ; présence d’un gardien ; numéro de contact pour les riverains.' }],
    ['nimes-pensionnat', 'bailleur2', { modalite: 'porte_a_porte', date: jourDecale(t0, -1.2), riverains_rencontres: 41, preoccupations: 'Nuisances du chantier.', reponses: 'Horaires de chantier et interlocuteur communiqués.' }],
    ['cave', 'bailleur', { modalite: 'reunion_publique', date: jourDecale(t0, -4), riverains_rencontres: 37, preoccupations: 'Hauteur du bâtiment, conservation de la façade de la cave.', reponses: 'Façade conservée ; étude d’ensoleillement remise aux riverains.' }],
  ];
  for (const [cle, b, body] of concertations) {
    await ok(`concertation (${cle})`, c[b].send('POST', `/api/v1/operations/${ids[cle]}/concertations`, body));
    n.concertations++;
  }

  // 3. Documents: the minutes of a public meeting and an agrément decision, as PDFs.
  const documents: [string, 'bailleur' | 'bailleur2', string, string, string][] = [
    ['saint-gilles', 'bailleur', 'concertation', 'compte-rendu-reunion-publique-demo.pdf', 'Compte rendu de la réunion publique — Résidence du Canal (démo)'],
    ['courbet', 'bailleur', 'agrement', 'decision-agrement-ilot-courbet-demo.pdf', 'Décision d’agrément — Îlot Courbet (démo)'],
  ];
  for (const [cle, b, categorie, fichier, titre] of documents) {
    const pdf = await toPdf({
      titre,
      sousTitre: 'Document de démonstration — fictif',
      blocs: [{ type: 'paragraphe', texte: 'Ce document accompagne les données de démonstration d’Atelier. Il ne décrit aucune opération réelle.' }],
      pied: 'Atelier — données de démonstration',
    });
    await ok(`document (${cle})`, c[b].upload(`/api/v1/operations/${ids[cle]}/documents`, pdf, fichier, { categorie }));
    n.documents++;
  }

  // 4. Land: demo gisements linked to the operations built on them.
  const liens: [string, string][] = [
    ['Friche de l’ancienne cave (démo)', 'cave'],
    ['Îlot gare Feuchères (démo)', 'feucheres'],
    ['Bureaux vacants route d’Arles (démo)', 'route-arles'],
    ['Friche industrielle de Rochebelle (démo)', 'ales-rochebelle'],
    ['Terrain de l’ancienne gendarmerie (démo)', 'bagnols-gendarmerie'],
    ['Ancien site hospitalier (démo)', 'hospitalier'],
  ];
  const gisements = await rows<{ id: string; nom: string }>(app.database.db, sql`SELECT id, nom FROM gisements WHERE demo`);
  for (const [nom, cle] of liens) {
    const g = gisements.find((x) => x.nom === nom);
    if (!g) continue; // a commune without contours: its demo plot was not drawn
    await ok(`lien du gisement « ${nom} »`, c.agentEtat.send('PATCH', `/api/v1/foncier/gisements/${g.id}`, { operation_id: ids[cle] }));
    n.gisements_lies++;
  }

  // 5. Project reviews of Nîmes Métropole, run by the DDTM with the EPCI: one held four months ago,
  // the next two scheduled. The EPCI puts operations on the agenda and follows the actions.
  const cycle = await ok<{ results: { id: string }[] }>(
    'cycle de revues',
    c.agentEtat.send('POST', '/api/v1/revues/cycle', {
      epci_siren: NIMES_METROPOLE,
      dates: [reunion(t0, -120, '09:30'), reunion(t0, 20, '09:30'), reunion(t0, 140, '09:30')],
      lieu: 'Siège de Nîmes Métropole, salle du conseil (démo)',
      participants: [],
    }),
  );
  n.revues = cycle.results.length;
  const tenue = cycle.results[0]!.id;
  for (const cle of ['jean-jaures', 'cave', 'saint-gilles', 'courbet', 'marguerittes']) {
    await ok(`point de revue (${cle})`, c.agentEpci.send('POST', `/api/v1/revues/${tenue}/points`, { operation_id: ids[cle] })).catch((e: Error) => {
      // The agenda may already hold the operation (blocked operations are put on it when the cycle is planned).
      if (!/409|déjà/.test(e.message)) throw e;
    });
  }
  const revue = await ok<{ points: { id: string; operation: { id: string } }[] }>('revue tenue', c.agentEpci.send('GET', `/api/v1/revues/${tenue}`));
  const point = (cle: string) => revue.points.find((p) => p.operation.id === ids[cle])?.id;
  const comptesRendus: [string, string, string, [string, string, number, boolean][]][] = [
    ['jean-jaures', 'Chantier à 60 %. Le bailleur chiffre un déficit de 180 000 € après la hausse des coûts.', 'Nîmes Métropole étudie une subvention complémentaire ; le bailleur présente un plan de financement actualisé.', [['Plan de financement actualisé', 'Logis Démo Cévennes', -2, true], ['Délibération sur la subvention complémentaire', 'Nîmes Métropole', 1, false]]],
    ['cave', 'Recours gracieux de deux riverains contre le permis.', 'La commune répond au recours ; le bailleur organise une réunion publique.', [['Réponse au recours gracieux', 'Commune de Caissargues', -3, true]]],
    ['saint-gilles', 'Opposition d’une association de quartier à la densité.', 'Réunion publique avant le dépôt du permis ; projet ajusté côté jardins.', [['Réunion publique', 'Habitat Démo Gard', -1, true]]],
    ['courbet', 'Premier appel d’offres infructueux (offres 18 % au-dessus de l’estimation).', 'Relance en lots séparés ; la DDTM vérifie la possibilité d’un marché global.', [['Relance de l’appel d’offres en lots séparés', 'Habitat Démo Gard', -0.5, false]]],
    ['marguerittes', 'La modification du PLU est un préalable au permis.', 'Demande d’arbitrage au préfet sur le calendrier de la modification du PLU.', [['Calendrier de la modification du PLU', 'Commune de Marguerittes', 2, false]]],
  ];
  for (const [cle, situation, decisions, actions] of comptesRendus) {
    const id = point(cle);
    if (!id) continue;
    await ok(`compte rendu (${cle})`, c.agentEtat.send('PATCH', `/api/v1/revues/${tenue}/points/${id}`, { situation, decisions }));
    for (const [libelle, responsable, echeance, close] of actions) {
      const a = await ok<{ id: string }>(`action (${cle})`, c.agentEtat.send('POST', `/api/v1/revues/${tenue}/points/${id}/actions`, { libelle, responsable, echeance: jourDecale(t0, echeance) }));
      if (close && a.id) await ok(`action close (${cle})`, c.agentEpci.send('PATCH', `/api/v1/revues/actions/${a.id}`, { statut: 'close', close_le: jourDecale(t0, echeance - 0.3) }));
    }
  }
  const marguerittes = point('marguerittes');
  if (marguerittes) {
    await ok('demande d’arbitrage', c.agentEtat.send('POST', `/api/v1/revues/${tenue}/points/${marguerittes}/escalade`, { motif: 'Sans modification du PLU avant l’été, l’opération perd sa programmation (démo).' }));
    await ok('arbitrage du préfet', c.agentEtat.send('POST', `/api/v1/revues/${tenue}/points/${marguerittes}/arbitrage`, { decision: 'Le préfet demande à la commune d’engager la modification simplifiée du PLU ; la DDTM accompagne la procédure (démo).', date: jourDecale(t0, -3) }));
  }
  await ok('revue tenue', c.agentEtat.send('PATCH', `/api/v1/revues/${tenue}`, { statut: 'tenue' }));

  // 6. The financer's aids in every status.
  const aide = (nom: string, extra: Record<string, unknown> = {}) => ({
    name: nom,
    description: 'Aide fictive des données de démonstration d’Atelier : elle illustre le parcours d’une aide, de sa saisie par le financeur à sa publication après revue par la DDTM.',
    eligibility: 'Opérations de logement locatif social dans le Gard (démo).',
    financers: ['Financeur Démo (fictif)'],
    aid_types: ['Subvention'],
    targeted_audiences: ['Bailleurs sociaux', 'Communes'],
    perimeter: { scale: 'Département', code: '30', name: 'Gard' },
    categories: ['Logement'],
    logement_social: { operation_types: ['construction neuve', 'acquisition-amélioration'], produits: ['PLAI', 'PLUS'] },
    ...extra,
  });
  const creer = async (nom: string, extra?: Record<string, unknown>) => (await ok<{ slug: string }>(`aide « ${nom} »`, c.financeur.send('POST', '/api/v1/aides', aide(nom, extra)))).slug;
  const publiees = [
    await creer('Prime départementale au logement très social (démo)', { subvention_rate_upper_bound: 20 }),
    await creer('Aide à la reconversion de friches en logements (démo)', { categories: ['Urbanisme / Friches'] }),
  ];
  for (const slug of publiees) {
    await ok('soumission', c.financeur.send('POST', `/api/v1/aides/${slug}/soumettre`));
    await ok('publication', c.agentEtat.send('POST', `/api/v1/aides/${slug}/publier`));
  }
  const enRevue = await creer('Bonus pour les petites opérations en centre ancien (démo)');
  await ok('soumission', c.financeur.send('POST', `/api/v1/aides/${enRevue}/soumettre`));
  const renvoyee = await creer('Aide à l’ingénierie des communes carencées (démo)', { aid_types: ['Ingénierie technique'] });
  await ok('soumission', c.financeur.send('POST', `/api/v1/aides/${renvoyee}/soumettre`));
  await ok('renvoi', c.agentEtat.send('POST', `/api/v1/aides/${renvoyee}/renvoyer`, { motif: 'Précisez les communes éligibles et le montant plafond (démo).' }));
  await creer('Appel à projets habitat inclusif 2027 (démo, brouillon)');
  n.aides = 5;

  return n;
}
