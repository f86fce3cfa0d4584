import { describe, expect, it } from 'vitest';
import { itemCatalogue, perimetreAtelier, publicsAtelier, texteDeHtml, type Lieux } from './aides.sync.mapping.js';

const lieux: Lieux = {
  regions: new Map([['occitanie', { code: '76', nom: 'Occitanie' }]]),
  departements: new Map([['gard', { code: '30', nom: 'Gard' }]]),
  epci: new Map([['ca de nimes metropole', { code: '243000643', nom: 'CA de Nîmes Métropole' }]]),
  communes: new Map([
    ['nimes', [{ code: '30189', nom: 'Nîmes', departement: '30' }]],
    ['saint martin', [{ code: '30001', nom: 'Saint-Martin', departement: '30' }, { code: '34001', nom: 'Saint-Martin', departement: '34' }]],
  ]),
};
const gard = { code: '30', nom: 'Gard' };

describe('aides-territoires item → catalogue item', () => {
  it('reads the platform’s audience names and slugs, drops the ones Atelier has no audience for', () => {
    expect(publicsAtelier(['Communes', 'Intercommunalités / Pays', 'Entreprises publiques locales (Sem, Spl, SemOp)', 'Recherche', 'Communes'])).toEqual(['commune', 'epci', 'public-org']);
    expect(publicsAtelier(["Établissements publics (écoles, bibliothèques…) / Services de l'État", 'private-sector', 'Particuliers'])).toEqual(['public-org', 'private-sector', 'private-person']);
    expect(publicsAtelier(['Collectivités d’outre-mer à statuts particuliers'])).toEqual([]);
  });

  it('places the perimeter from its name and scale, else in the served département that listed it', () => {
    expect(perimetreAtelier({ perimeter: 'France', perimeter_scale: 'Pays' }, gard, lieux)).toEqual({ scale: 'Pays', code: 'FRA', name: 'France' });
    expect(perimetreAtelier({ perimeter: 'Europe', perimeter_scale: 'Continent' }, gard, lieux).code).toBe('FRA');
    expect(perimetreAtelier({ perimeter: 'Occitanie', perimeter_scale: 'Région' }, gard, lieux)).toEqual({ scale: 'Région', code: '76', name: 'Occitanie' });
    expect(perimetreAtelier({ perimeter: 'CA de Nîmes Métropole', perimeter_scale: 'epci' }, gard, lieux).code).toBe('243000643');
    expect(perimetreAtelier({ perimeter: 'Nimes', perimeter_scale: 'commune' }, gard, lieux).code).toBe('30189');
    // Two communes of that name: the one of the département that listed the aid.
    expect(perimetreAtelier({ perimeter: 'Saint-Martin', perimeter_scale: 'commune' }, gard, lieux).code).toBe('30001');
    expect(perimetreAtelier({ perimeter: 'Bassin Rhône-Méditerranée', perimeter_scale: 'Bassin hydrographique' }, gard, lieux)).toEqual({ scale: 'Département', code: '30', name: 'Bassin Rhône-Méditerranée' });
    expect(perimetreAtelier({ perimeter: 'CC Inconnue', perimeter_scale: 'epci' }, gard, lieux)).toEqual({ scale: 'Département', code: '30', name: 'CC Inconnue' });
  });

  it('turns the HTML descriptions into text, paragraphs and list items on their lines, entities decoded', () => {
    expect(texteDeHtml('<p>Un&nbsp;texte &amp; <strong>gras</strong>&#8239;!</p><ul><li>un</li><li>deux</li></ul><p>fin&hellip;</p>')).toBe('Un texte & gras\u202f!\n\n- un\n- deux\n\nfin…');
    expect(texteDeHtml(null)).toBe('');
    expect(texteDeHtml('<script>alert(1)</script>seul')).toBe('seul');
  });

  it('keeps only http(s) links, the upstream id and a valid slug; an aid for no known audience is left out with its reason', () => {
    const r = itemCatalogue({ id: 42, slug: 'Mon_Aide', url: '/aides/Mon_Aide/', name: 'Une aide', targeted_audiences: ['Communes'], origin_url: 'javascript:alert(1)', application_url: 'https://exemple.fr/depot' }, gard, lieux);
    expect(r).toMatchObject({ item: { id: '42', slug: 'mon-aide', origin_url: null, application_url: 'https://exemple.fr/depot', targeted_audiences: ['commune'] } });
    expect(itemCatalogue({ id: 43, slug: 'x', url: null, name: 'Recherche', targeted_audiences: ['Recherche'] }, gard, lieux)).toEqual({ raison: 'aucun public visé connu d’Atelier (Recherche)' });
  });
});
