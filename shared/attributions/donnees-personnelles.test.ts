import { describe, expect, it } from 'vitest';
import { champsPersonnels, estDonneePersonnelle } from './donnees-personnelles.js';

describe('personal-data field names (privacy rule of issue 14)', () => {
  it('recognises the fields of an applicant or tenant, however spelt', () => {
    for (const n of ['nom', 'Prénom', 'date_naissance', 'Date de naissance', 'revenu', 'Revenus 2025', 'numero_unique', 'N° unique', 'NIR', 'nom du locataire', 'Nom de naissance', 'candidats', 'composition du foyer', 'Téléphone']) {
      expect(estDonneePersonnelle(n), n).toBe(true);
    }
  });
  it('lets a dwelling’s own fields through', () => {
    for (const n of ['commune', 'typologie', 'produit', 'surface_m2', 'loyer_mensuel', 'disponible_le', 'reservataire', 'residence', 'adresse', 'reference', 'accessible', 'seance_id', 'commission', 'lieu', 'ordre_du_jour', 'debut', 'fin', 'communes', 'nom_residence']) {
      expect(estDonneePersonnelle(n), n).toBe(false);
    }
  });
  it('finds them at any depth, by path, without their values', () => {
    expect(champsPersonnels({ commune: '30189', locataire: { nir: '1850578006048' }, lignes: [{ prenom: 'Jean' }] })).toEqual(['locataire', 'locataire.nir', 'lignes[0].prenom']);
    expect(champsPersonnels(undefined)).toEqual([]);
  });
});
