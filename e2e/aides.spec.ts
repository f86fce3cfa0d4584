import { readFileSync } from 'node:fs';
import { expect, expectAccessible, signIn, signOut, test, visit } from './helpers';

test.describe('aides au logement social', () => {
  test.describe.configure({ mode: 'serial' });
  const nom = `Subvention démo e2e pour les PLAI en centre ancien ${Date.now()}`;

  test('un visiteur cherche une aide, sans compte, et ouvre sa fiche', async ({ page }) => {
    await visit(page, '/aides', 'Rechercher une aide au logement social');
    await page.getByLabel('Que cherchez-vous ?').fill('portage foncié EPF');
    await page.getByLabel('Vous êtes').selectOption('commune');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /aides? trouvées?/ })).toBeVisible();
    await expect(page.getByText('Recherche corrigée : « foncie » → « foncier »')).toBeVisible();
    await expect(page.locator('ol.aides-resultats mark').first()).toBeVisible();
    await expectAccessible(page, '/aides (résultats)');
    const first = page.locator('ol.aides-resultats h3 a').first();
    const name = (await first.textContent())!;
    await first.click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expectAccessible(page, 'fiche d’une aide');

    await page.goto('/aides?q=qwxzyv');
    await expect(page.getByRole('heading', { level: 2, name: 'Aucune aide trouvée' })).toBeVisible();
  });

  test('un financeur crée une aide et la soumet à la revue', async ({ page }) => {
    await signIn(page, 'financeur');
    await visit(page, '/aides/espace', 'Mes aides');
    await page.getByLabel('Nom de l’aide').fill(nom);
    await page.getByLabel('Description').fill('Complément de subvention de démonstration pour les logements PLAI produits en acquisition-amélioration.');
    await page.getByText('acquisition-amélioration', { exact: true }).click();
    await page.getByText('PLAI', { exact: true }).click();
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    await expect(page.getByText('Brouillon créé.')).toBeVisible();
    await page.getByRole('button', { name: `Soumettre ${nom} à la revue` }).click();
    await expect(page.getByText('Aide soumise à la revue de la DDTM.')).toBeVisible();
    await expect(page.getByRole('row', { name: new RegExp(nom) })).toContainText('En revue');
    await expectAccessible(page, '/aides/espace');
    await signOut(page);
  });

  test('la DDTM publie l’aide, suit la campagne et voit les recherches enregistrées', async ({ page }) => {
    await signIn(page, 'agent_etat');
    await visit(page, '/aides/revue', 'Revue des aides');
    await page.getByRole('button', { name: `Publier ${nom}` }).click();
    await expect(page.getByText(`« ${nom} » est publiée.`)).toBeVisible();
    await expect(page.getByRole('row', { name: /Financeur Démo/ })).toContainText('1');
    await expectAccessible(page, '/aides/revue');

    await page.goto(`/aides?q=${encodeURIComponent('subvention démo e2e')}`);
    await expect(page.locator('ol.aides-resultats h3 a').first()).toHaveText(nom);

    await visit(page, '/aides/statistiques', 'Statistiques des recherches d’aides');
    await expect(page.getByRole('table', { name: 'Requêtes les plus fréquentes' })).toContainText('portage foncie epf');
    await expect(page.getByRole('table', { name: 'Requêtes sans résultat' })).toContainText('qwxzyv');

    await visit(page, '/aides/vocabulaire', 'Vocabulaire de la recherche');
    // A group is added, then edited in place: the search uses the new wording at once.
    await page.getByLabel('Expressions équivalentes').fill('zorglubine ; programme zorglub e2e');
    await page.getByRole('button', { name: 'Ajouter le groupe' }).click();
    await expect(page.getByText('Groupe ajouté')).toBeVisible();
    await page.getByRole('button', { name: 'Modifier le groupe zorglubine' }).click();
    await expect(page.getByRole('heading', { name: 'Modifier le groupe' })).toBeFocused();
    const edition = page.getByRole('form', { name: 'Modifier le groupe' });
    await edition.getByLabel('Expressions équivalentes').fill('zorglubine ; subvention démo e2e');
    await edition.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByText('Groupe modifié')).toBeVisible();
    await expect(page.getByRole('table')).toContainText('zorglubine ; subvention démo e2e');
    await expectAccessible(page, '/aides/vocabulaire (modification d’un groupe)');
    await page.goto(`/aides?q=zorglubine`);
    await expect(page.locator('ol.aides-resultats h3 a').first()).toHaveText(nom);

    // Import of an aides-territoires export: errors listed (nothing imported), then checked and imported.
    await visit(page, '/aides/revue', 'Revue des aides');
    await page.getByRole('link', { name: /Importer des aides/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Importer des aides' })).toBeVisible();
    const [modele] = (JSON.parse(readFileSync(new URL('../data/aides-catalogue.json', import.meta.url), 'utf8')) as { results: Record<string, unknown>[] }).results;
    const importee = { ...modele, id: 990001, slug: 'aide-importee-e2e', name: `Aide importée de démonstration e2e ${Date.now()}` };
    const fichier = (name: string, aides: unknown[]) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ results: aides })) });
    await page.getByLabel('Fichier des aides').setInputFiles({ name: 'pas-du-json.json', mimeType: 'application/json', buffer: Buffer.from('{ "results": [') });
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await expect(page.getByText('Le fichier « pas-du-json.json » n’est pas du JSON valide')).toBeVisible();
    await page.getByLabel('Fichier des aides').setInputFiles(fichier('erreurs.json', [importee, { ...importee, slug: 'aide-sans-nom-e2e', name: '' }]));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await expect(page.getByRole('table', { name: 'Erreurs du fichier' })).toContainText('name');
    await expect(page.getByRole('button', { name: 'Importer' })).toBeDisabled();
    await expectAccessible(page, '/aides/import (erreurs)');
    await page.getByLabel('Fichier des aides').setInputFiles(fichier('aides-e2e.json', [importee]));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await expect(page.getByText('Fichier vérifié : aucune erreur')).toBeVisible();
    await page.getByRole('button', { name: 'Importer' }).click();
    await expect(page.getByText('Import terminé')).toBeVisible();
    await page.goto(`/aides?q=${encodeURIComponent(importee.name)}`);
    await expect(page.locator('ol.aides-resultats h3 a').first()).toHaveText(importee.name);
    await signOut(page);
  });

  test('le formulaire d’éligibilité donne les aides d’un projet avec leurs raisons', async ({ page }) => {
    await visit(page, '/aides/eligibilite', 'Les aides de mon projet');
    await page.getByLabel('Commune (code INSEE)').fill('30189');
    await page.getByLabel('Type d’opération').selectOption('vefa');
    await page.getByText('PLS', { exact: true }).click();
    await page.getByRole('button', { name: 'Trouver les aides' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /Aides auxquelles le projet est éligible \(\d+\)/ })).toBeVisible();
    await expect(page.getByText(/Pourquoi : périmètre/).first()).toBeVisible();
    await expectAccessible(page, '/aides/eligibilite (résultats)');
  });
});
