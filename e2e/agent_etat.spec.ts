import {
  NAV,
  expect,
  test,
  apiSignIn,
  checkAccountAndTokens,
  checkHome,
  checkMap,
  checkNavigation,
  expectAccessible,
  signIn,
  signOut,
  visit,
} from './helpers';

test.describe('agent de l’État', () => {
  // An administrator's write, made before the journey: the agent must find it in the journal.
  const email = `ecrit-par-admin-${Date.now()}@demo.test`;
  let createdId = '';

  test.beforeAll(async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    const csrf = await apiSignIn(request, 'admin');
    const response = await request.post('/api/v1/users', {
      headers: { 'x-csrf-token': csrf },
      data: { email, nom: 'Compte écrit par l’admin', role: 'commune', commune_insee: '30060' },
    });
    expect(response.status()).toBe(201);
    createdId = ((await response.json()) as { id: string }).id;
    await request.dispose();
  });

  test.beforeEach(async ({ page }) => {
    await signIn(page, 'agent_etat');
  });

  test('accueil et navigation selon ses permissions', async ({ page }) => {
    await checkHome(page, 'agent_etat', ['Carte des communes', 'Aides au financement', 'Opérations', 'Foncier', 'Revues de projet', 'Attributions', 'Rapport CDHH', 'Revue des aides', 'Organisations', 'Utilisateurs', 'Journal d’audit', 'Mon compte']);
    await checkNavigation(page, [NAV.accueil, NAV.carte, NAV.aides, NAV.operations, NAV.foncier, NAV.revues, NAV.attributions, NAV.cdhh, NAV.revueAides, NAV.organisations, NAV.utilisateurs, NAV.journal]);
  });

  test('carte et fiches communes', async ({ page }) => {
    await checkMap(page);
  });

  test('organisations', async ({ page }) => {
    await visit(page, '/organisations', 'Organisations');
  });

  test('lit les comptes sans pouvoir les modifier', async ({ page }) => {
    await visit(page, '/admin/utilisateurs', 'Utilisateurs');
    const table = page.getByRole('table');
    await expect(table).toContainText(email);
    await expect(table.getByRole('row').filter({ hasText: email })).toContainText('Commune : Caissargues');
    await expect(page.getByRole('heading', { name: 'Créer un compte' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Désactiver|Réactiver/ })).toHaveCount(0);
    // The server refuses the write too (with a valid CSRF token, so the refusal is the permission's).
    const { token } = (await (await page.request.get('/api/v1/auth/csrf')).json()) as { token: string };
    const attempt = await page.request.post('/api/v1/users', {
      headers: { 'x-csrf-token': token },
      data: { email: `refuse-${Date.now()}@demo.test`, nom: 'Refusé', role: 'admin' },
    });
    expect(attempt.status()).toBe(403);
  });

  test('lit le journal et y trouve les écritures de l’administrateur', async ({ page }) => {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: NAV.journal }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Journal d’audit' })).toBeVisible();
    await expect(page).toHaveTitle('Journal d’audit — Atelier');
    const row = page.getByRole('row').filter({ hasText: createdId });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('admin@demo.test');
    await expect(row).toContainText('user');
    await row.getByText('Voir le détail').click();
    await expect(row.locator('details[open]')).toContainText(email);
    await expectAccessible(page, '/journal');

    // Keyset pagination: older entries come after the first page, if there are more.
    const more = page.getByRole('button', { name: 'Charger plus' });
    if (await more.isVisible()) {
      const before = await page.getByRole('row').count();
      await more.click();
      await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(before);
    }
  });

  test('registre des opérations : import d’un tableur vérifié, importé, puis un fichier refusé', async ({ page }) => {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: NAV.operations }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Opérations' })).toBeVisible();
    // The State's agent declares for any landlord: the landlord is chosen in the form.
    const declarer = page.locator('form', { has: page.getByRole('heading', { name: 'Déclarer une opération' }) });
    await expect(declarer.getByLabel('Bailleur', { exact: true })).toBeVisible();
    await expectAccessible(page, '/operations (agent de l’État)');

    await page.getByRole('link', { name: 'Importer des opérations' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Importer des opérations' })).toBeVisible();
    await expect(page).toHaveTitle('Importer des opérations — Atelier');
    await expect(page.getByRole('link', { name: /Télécharger le modèle/ })).toHaveAttribute('href', '/api/v1/operations/import/template.xlsx');
    await expectAccessible(page, '/operations/import');

    const nom = `Import e2e ${Date.now()}`;
    const csv = (lignes: string[]) => ({
      name: 'operations.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['Nom de l’opération;Commune;Bailleur;Type d’opération', ...lignes].join('\n') + '\n', 'utf8'),
    });
    const fichier = page.getByLabel(/Fichier des opérations/);
    await fichier.setInputFiles(csv([`${nom};Caissargues;Habitat Démo Gard (bailleur fictif);VEFA`]));
    await expect(page.getByRole('button', { name: 'Importer', exact: true })).toBeDisabled();
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await expect(page.getByText('Fichier vérifié : aucune erreur')).toBeVisible();
    await expect(page.getByText(/1 opération serait créée/)).toBeVisible();
    await expectAccessible(page, '/operations/import (vérifié)');
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await expect(page.getByText('Import terminé')).toBeVisible();
    await expect(page.getByText(/1 opération créée/)).toBeVisible();

    // A file with unknown commune and type: nothing is written, every error is listed.
    await fichier.setInputFiles(csv([`${nom} bis;Nulle-Part-sur-Mer;Habitat Démo Gard (bailleur fictif);Château fort`]));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await expect(page.getByText(/Le fichier contient \d+ erreurs?/)).toBeVisible();
    const erreurs = page.getByRole('table', { name: 'Erreurs du fichier' });
    await expect(erreurs.getByRole('columnheader')).toHaveText(['Ligne', 'Colonne', 'Valeur', 'Message']);
    await expect(erreurs.getByRole('row').filter({ hasText: 'Nulle-Part-sur-Mer' })).toContainText('2');
    await expect(erreurs).toContainText('Château fort');
    await expectAccessible(page, '/operations/import (erreurs)');

    // The imported operation is in the register; the export links follow the filters.
    await page.getByRole('link', { name: 'Opérations' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Opérations' })).toBeVisible();
    await page.getByRole('searchbox', { name: /Recherche/ }).fill(nom);
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await expect(page).toHaveURL(/\?q=Import/);
    const table = page.getByRole('table', { name: /Opérations \(1\)/ });
    await expect(table).toContainText(nom);
    await expect(table).toContainText('Habitat Démo Gard');
    await expect(page.getByRole('link', { name: 'Exporter (CSV)' })).toHaveAttribute('href', /\/api\/v1\/operations\/export\.csv\?q=Import/);
    const exported = await page.request.get((await page.getByRole('link', { name: 'Exporter (CSV)' }).getAttribute('href'))!);
    expect(exported.status()).toBe(200);
    expect(await exported.text()).toContain(nom);
    await expectAccessible(page, '/operations?q=…');
  });

  test('compte et jetons d’API', async ({ page }) => {
    await checkAccountAndTokens(page, 'agent_etat');
  });

  test('déconnexion', async ({ page }) => {
    await signOut(page);
  });
});
