/**
 * Import of vacated dwellings from a landlord's own system (csv or xlsx) on the one import runner:
 * all or nothing, dry run, every error with row, column and value. Re-importing a dwelling of the
 * same `reference` updates it.
 *
 * Privacy rule first: a header naming personal data (nom, prénom, date de naissance, revenus,
 * numéro unique, NIR…) refuses the whole file before any row is read, and the error names the
 * column only — never a cell's value (nothing of it is kept, returned or logged). Any other unknown
 * column is refused too: an export of a landlord's system may carry columns whose names do not say
 * they hold a person's data, so only the known columns pass.
 */
import { and, eq, sql } from 'drizzle-orm';
import { logementsLiberes } from '../../../db/schema.js';
import { estDonneePersonnelle, messageDonneesPersonnelles } from '../../../shared/attributions/donnees-personnelles.js';
import { PRODUITS_LOGEMENT, RESERVATAIRES, TYPOLOGIES } from '../../../shared/attributions/referentiel.js';
import type { Config } from '../../config.js';
import { rows, textArray, type Db } from '../../db/client.js';
import { executerImport, lireFeuille, normaliser, parseDate, parseNombre, type ErreurImport, type Progression } from '../../lib/import/index.js';
import type { Principal } from '../../lib/principal.js';
import { departementsDeclarables } from './caleol.service.js';
import { communeServie, ligneLogement, prevenirCommune, type CommuneServie, type LogementCreate } from './logements-liberes.service.js';

const MAX_LIGNES = 20_000;

type Champ = keyof Omit<LogementCreate, 'seance_id' | 'bailleur_id'>;

/** Accepted headers (normalised) per field. */
const COLONNES: Record<Champ, string[]> = {
  commune: ['commune', 'code insee', 'code commune', 'insee', 'code insee commune'],
  reference: ['reference', 'ref', 'reference logement', 'numero logement', 'n logement', 'identifiant logement'],
  residence: ['residence', 'programme', 'nom residence', 'groupe'],
  adresse: ['adresse', 'adresse logement'],
  typologie: ['typologie', 'typo', 'type logement', 'type de logement'],
  produit: ['produit', 'financement', 'produit de financement'],
  surface_m2: ['surface', 'surface m2', 'surface habitable', 'surface habitable m2', 'shab'],
  loyer_mensuel: ['loyer', 'loyer mensuel', 'loyer hors charges', 'loyer hc', 'loyer principal'],
  disponible_le: ['disponible le', 'disponibilite', 'date disponibilite', 'date de disponibilite', 'date liberation', 'date de liberation', 'libere le'],
  reservataire: ['reservataire', 'contingent', 'contingent de reservation'],
  accessible: ['accessible', 'accessibilite', 'pmr', 'accessible pmr'],
};
const CHAMP_PAR_ENTETE = new Map<string, Champ>();
for (const [champ, noms] of Object.entries(COLONNES) as [Champ, string[]][]) for (const n of noms) CHAMP_PAR_ENTETE.set(n, champ);

const OBLIGATOIRES: Champ[] = ['commune', 'typologie', 'produit', 'disponible_le', 'reservataire'];

const RESERVATAIRE_PAR_NOM = new Map<string, string>();
for (const [code, libelle] of Object.entries(RESERVATAIRES)) for (const a of [code, libelle]) RESERVATAIRE_PAR_NOM.set(normaliser(a), code);
for (const [alias, code] of Object.entries({ prefecture: 'etat', prefectoral: 'etat', 'contingent prefectoral': 'etat', etat: 'etat', al: 'action_logement', '1 logement': 'action_logement', cd: 'departement', 'conseil departemental': 'departement', bailleur: 'bailleur', 'non reserve': 'bailleur', 'libre': 'bailleur' })) RESERVATAIRE_PAR_NOM.set(alias, code);

export const PRESENTATION_LOGEMENTS = { rien: 'aucun logement n’est importé' };

interface Entree extends LogementCreate {
  ligne: number;
}

const texte = (v: unknown) => (v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

function oui(v: string): boolean | undefined {
  const n = normaliser(v);
  if (['oui', 'o', 'yes', 'vrai', 'true', '1', 'x'].includes(n)) return true;
  if (['non', 'n', 'no', 'faux', 'false', '0'].includes(n)) return false;
  return undefined;
}

export async function importerLogements(
  db: Db,
  config: Config,
  p: Principal,
  bailleurId: string,
  buffer: Buffer,
  opts: { fichier: string; dryRun: boolean; requestId?: string; onProgress?: (pr: Progression) => void },
) {
  const communes = new Map<string, CommuneServie>();
  return executerImport<Entree, ErreurImport, object>(
    db,
    { actor: { kind: 'user', principal: p }, fichier: opts.fichier, dryRun: opts.dryRun, requestId: opts.requestId, onProgress: opts.onProgress },
    {
      entite: 'logement_libere_import',
      vide: 'Le fichier ne contient aucun logement.',
      erreurFichier: (message) => ({ ligne: 0, colonne: '', valeur: '', message }),
      async verifier(suivi) {
        const feuille = await lireFeuille(buffer, opts.fichier, { maxLignes: MAX_LIGNES });
        const err = (ligne: number, colonne: string, valeur: string, message: string) => suivi.erreur({ ligne, colonne, valeur, message });
        // 1. The privacy rule, on the headers alone: no cell is read when one column is personal data.
        const personnelles = feuille.entetes.filter((h) => h && estDonneePersonnelle(h));
        if (personnelles.length) {
          for (const h of personnelles) err(feuille.ligneEntete, h, '', messageDonneesPersonnelles([h], 'Le fichier'));
          return { lignes: feuille.lignes.length, entrees: [] };
        }
        // 2. Known columns only.
        const champs = feuille.entetes.map((h) => CHAMP_PAR_ENTETE.get(normaliser(h)));
        feuille.entetes.forEach((h, i) => {
          if (h && !champs[i]) err(feuille.ligneEntete, h, '', `colonne inconnue : seules les colonnes ${Object.keys(COLONNES).join(', ')} sont acceptées (aucune donnée sur les personnes)`);
        });
        for (const o of OBLIGATOIRES) if (!champs.includes(o)) err(feuille.ligneEntete, o, '', `colonne obligatoire absente (${COLONNES[o].slice(0, 2).join(' ou ')})`);
        if (suivi.erreurs.length) return { lignes: feuille.lignes.length, entrees: [] };

        const codes = new Set<string>();
        for (const l of feuille.lignes) {
          const i = champs.indexOf('commune');
          codes.add(texte(l.cellules[i]).toUpperCase());
        }
        const connues = await rows<CommuneServie>(db, sql`SELECT code_insee, nom, epci_siren, departement FROM communes WHERE code_insee = ANY(${textArray([...codes])}) AND departement = ANY(${textArray(departementsDeclarables(p, config.departements))})`);
        for (const c of connues) communes.set(c.code_insee, c);

        const entrees: Entree[] = [];
        const references = new Map<string, number>();
        for (const [n, l] of feuille.lignes.entries()) {
          const v: Partial<Record<Champ, string>> = {};
          const entete: Partial<Record<Champ, string>> = {};
          champs.forEach((c, i) => {
            if (!c) return;
            v[c] = texte(l.cellules[i]);
            entete[c] = feuille.entetes[i];
          });
          const avant = suivi.erreurs.length;
          const e = (c: Champ, message: string) => err(l.numero, entete[c] ?? c, v[c] ?? '', message);
          for (const o of OBLIGATOIRES) if (!v[o]) e(o, 'valeur obligatoire');
          const commune = (v.commune ?? '').toUpperCase();
          if (v.commune && !communes.has(commune)) e('commune', 'code INSEE inconnu ou hors du territoire servi');
          const typologie = (v.typologie ?? '').toUpperCase().replace(/^F/, 'T');
          if (v.typologie && !(TYPOLOGIES as readonly string[]).includes(typologie)) e('typologie', `typologie inconnue (${TYPOLOGIES.join(', ')})`);
          const produit = PRODUITS_LOGEMENT.find((x) => normaliser(x) === normaliser(v.produit ?? ''));
          if (v.produit && !produit) e('produit', `produit inconnu (${PRODUITS_LOGEMENT.join(', ')})`);
          const reservataire = RESERVATAIRE_PAR_NOM.get(normaliser(v.reservataire ?? ''));
          if (v.reservataire && !reservataire) e('reservataire', `réservataire inconnu (${Object.keys(RESERVATAIRES).join(', ')})`);
          const date = v.disponible_le ? parseDate(v.disponible_le) : undefined;
          if (date && !date.ok) e('disponible_le', date.message);
          const nombre = (c: 'surface_m2' | 'loyer_mensuel', max: number) => {
            if (!v[c]) return undefined;
            const r = parseNombre(v[c]);
            if (!r.ok) return void e(c, r.message);
            if (r.value < 0 || r.value > max) return void e(c, `valeur hors de 0–${max}`);
            return r.value;
          };
          const surface = nombre('surface_m2', 1000);
          const loyer = nombre('loyer_mensuel', 100_000);
          const accessible = v.accessible ? oui(v.accessible) : undefined;
          if (v.accessible && accessible === undefined) e('accessible', 'oui ou non attendu');
          if (v.reference) {
            const deja = references.get(v.reference);
            if (deja) e('reference', `référence déjà donnée ligne ${deja}`);
            else references.set(v.reference, l.numero);
          }
          if (suivi.erreurs.length === avant) {
            entrees.push({
              ligne: l.numero,
              commune,
              reference: v.reference || undefined,
              residence: v.residence || undefined,
              adresse: v.adresse || undefined,
              typologie,
              produit: produit!,
              surface_m2: surface,
              loyer_mensuel: loyer,
              disponible_le: date!.ok ? date!.value : '',
              reservataire: reservataire!,
              accessible,
            });
          }
          await suivi.progression('verification', n + 1, feuille.lignes.length);
        }
        return { lignes: feuille.lignes.length, entrees };
      },
      async ecrire(tx, entrees, suivi) {
        let creees = 0;
        let misesAJour = 0;
        const nouveaux = new Map<string, Entree[]>();
        for (const [n, e] of entrees.entries()) {
          const c = communes.get(e.commune) ?? (await communeServie(tx, departementsDeclarables(p, config.departements), e.commune));
          const ligne = ligneLogement(bailleurId, c, e);
          const [existant] = e.reference
            ? await tx.select({ id: logementsLiberes.id, statut: logementsLiberes.statut }).from(logementsLiberes).where(and(eq(logementsLiberes.bailleurId, bailleurId), eq(logementsLiberes.reference, e.reference)))
            : [];
          if (existant) {
            if (existant.statut === 'attribue') {
              suivi.erreur({ ligne: e.ligne, colonne: 'reference', valeur: e.reference!, message: 'ce logement est déjà attribué : il n’est plus modifiable' });
              continue;
            }
            const { statut: _statut, seanceId: _seance, ...champs } = ligne;
            await tx.update(logementsLiberes).set({ ...champs, updatedAt: new Date() }).where(eq(logementsLiberes.id, existant.id));
            misesAJour++;
          } else {
            await tx.insert(logementsLiberes).values(ligne);
            creees++;
            nouveaux.set(e.commune, [...(nouveaux.get(e.commune) ?? []), e]);
          }
          await suivi.progression('enregistrement', n + 1, entrees.length);
        }
        const [b] = await rows<{ nom: string }>(tx, sql`SELECT nom FROM organisations WHERE id = ${bailleurId}::uuid`);
        for (const [code, ls] of nouveaux) await prevenirCommune(tx, config, communes.get(code)!, b?.nom ?? 'Un bailleur', ls);
        return { creees, mises_a_jour: misesAJour };
      },
    },
  );
}
