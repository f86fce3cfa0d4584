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
    await checkHome(page, 'agent_etat', ['Carte des communes', 'Organisations', 'Utilisateurs', 'Journal d’audit', 'Mon compte']);
    await checkNavigation(page, [NAV.accueil, NAV.carte, NAV.organisations, NAV.utilisateurs, NAV.journal]);
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

  test('compte et jetons d’API', async ({ page }) => {
    await checkAccountAndTokens(page, 'agent_etat');
  });

  test('déconnexion', async ({ page }) => {
    await signOut(page);
  });
});
