import {
  NAV,
  checkAccountAndTokens,
  checkHome,
  checkMap,
  checkNavigation,
  expect,
  expectAccessible,
  signIn,
  signOut,
  test,
  visit,
} from './helpers';

test.describe('administrateur', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'admin');
  });

  test('accueil et navigation complète', async ({ page }) => {
    await checkHome(page, 'admin', ['Carte des communes', 'Aides au financement', 'Mes aides', 'Opérations', 'Foncier', 'Revues de projet', 'Attributions', 'Rapport CDHH', 'Revue des aides', 'Organisations', 'Utilisateurs', 'Journal d’audit', 'Mon compte']);
    await checkNavigation(page, [NAV.accueil, NAV.carte, NAV.aides, NAV.mesAides, NAV.operations, NAV.foncier, NAV.revues, NAV.attributions, NAV.cdhh, NAV.revueAides, NAV.organisations, NAV.utilisateurs, NAV.journal]);
  });

  test('carte et fiches communes', async ({ page }) => {
    await checkMap(page);
  });

  test('organisations', async ({ page }) => {
    await visit(page, '/organisations', 'Organisations');
    await expect(page.getByRole('table')).toContainText('Habitat Démo Gard');
  });

  test('crée un compte, le désactive puis le réactive', async ({ page }) => {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: NAV.utilisateurs }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Utilisateurs' })).toBeVisible();
    await expect(page).toHaveTitle('Utilisateurs — Atelier');
    const table = page.getByRole('table');
    await expect(table).toContainText('agent-epci@demo.test');
    await expect(table.getByRole('row').filter({ hasText: 'agent-epci@demo.test' })).toContainText('EPCI : CA de Nîmes Métropole');
    await expectAccessible(page, '/admin/utilisateurs');

    // An empty form: every error is told, next to its field.
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await expect(page.getByText('Le formulaire contient des erreurs')).toBeVisible();
    await expect(page.getByText('Choisissez un rôle.')).toBeVisible();
    await expectAccessible(page, '/admin/utilisateurs (formulaire en erreur)');

    const email = `nouvel-agent-${Date.now()}@demo.test`;
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Créer un compte' }) });
    await form.getByRole('textbox', { name: /^Adresse électronique/ }).fill(email);
    await form.getByRole('textbox', { name: /^Nom/ }).fill('Nadia Nouvelle');
    await form.getByLabel('Rôle').selectOption({ label: 'Agent d’EPCI' });
    await form.getByLabel('EPCI').selectOption({ label: 'CA Alès Agglomération' });
    await form.getByLabel(/Mot de passe initial/).fill('un-mot-de-passe-solide');
    await form.getByRole('button', { name: 'Créer le compte' }).click();
    await expect(page.getByText(`Le compte de Nadia Nouvelle (${email}) a été créé.`)).toBeVisible();
    const row = table.getByRole('row').filter({ hasText: email });
    await expect(row).toContainText('Agent d’EPCI');
    await expect(row).toContainText('EPCI : CA Alès Agglomération');
    await expect(row).toContainText('Actif');
    await expectAccessible(page, '/admin/utilisateurs (compte créé)');

    await row.getByRole('button', { name: /Désactiver/ }).click();
    await expect(page.getByText('Le compte de Nadia Nouvelle a été désactivé.')).toBeVisible();
    await expect(row).toContainText('Inactif');
    await row.getByRole('button', { name: /Réactiver/ }).click();
    await expect(page.getByText('Le compte de Nadia Nouvelle a été réactivé.')).toBeVisible();
    await expect(row).toContainText('Actif');

    // The new account signs in.
    await signOut(page);
    await page.goto('/connexion');
    await page.getByRole('textbox', { name: /^Adresse électronique/ }).fill(email);
    await page.getByLabel('Mot de passe').fill('un-mot-de-passe-solide');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bonjour Nadia Nouvelle' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Votre profil' })).toContainText('EPCI : CA Alès Agglomération');
  });

  test('journal d’audit, page par page', async ({ page }) => {
    // Pages of 5 instead of 50, so that the demo data spans several pages.
    await page.route('**/api/v1/audit?*', (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '5');
      return route.continue({ url: url.toString() });
    });
    await visit(page, '/journal', 'Journal d’audit');
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(6); // header + 5
    await page.getByRole('button', { name: 'Charger plus' }).click();
    await expect(rows).toHaveCount(11);
    // Keyset pagination: the second page continues the first, no entry shown twice.
    const ids = await page.getByRole('table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
    expect(new Set(ids).size).toBe(ids.length);
    const table = page.getByRole('table');
    await expect(table).toContainText('connexion');
    await expect(table).toContainText('admin@demo.test');
    const details = table.getByText('Voir le détail').first();
    await details.click();
    await expect(table.locator('details[open] pre').first()).toBeVisible();
    await expectAccessible(page, '/journal (détail ouvert)');
  });

  test('compte : crée puis révoque un jeton d’API', async ({ page }) => {
    await checkAccountAndTokens(page, 'admin');
  });

  test('déconnexion', async ({ page }) => {
    await signOut(page);
  });
});
