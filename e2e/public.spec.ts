import { NAV, checkMap, expect, expectAccessible, test, visit } from './helpers';

test.describe('visiteur anonyme', () => {
  test('la page d’accueil présente la plateforme', async ({ page }) => {
    await visit(page, '/', /plateforme de la production de logement social/);
    await expect(page).toHaveTitle('Accueil — Atelier');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('banner')).toContainText('Atelier');
    await expect(page.getByRole('banner')).toContainText('Production de logement social — Gard');
    await expect(page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link')).toHaveText([
      NAV.accueil,
      NAV.carte,
      NAV.aides,
    ]);
    await expect(page.getByRole('link', { name: 'Voir la carte des communes' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Accès rapide : Contenu' }).or(page.getByRole('link', { name: 'Contenu' }))).toHaveCount(1);
  });

  test('la carte et les fiches communes sont publiques', async ({ page }) => {
    await checkMap(page);
  });

  test('la page de connexion affiche les erreurs de façon accessible', async ({ page }) => {
    await visit(page, '/connexion', 'Connexion à Atelier');
    // ProConnect is not configured in the tests: its button is not offered.
    await expect(page.getByRole('link', { name: /ProConnect/ })).toHaveCount(0);

    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByText('Saisissez votre adresse électronique.')).toBeVisible();
    await expect(page.getByRole('textbox', { name: /^Adresse électronique/ })).toHaveAccessibleDescription(/Saisissez votre adresse électronique/);
    await expectAccessible(page, '/connexion (champs vides)');

    await page.getByRole('textbox', { name: /^Adresse électronique/ }).fill('personne@demo.test');
    await page.getByLabel('Mot de passe').fill('mauvais-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByText('Adresse électronique ou mot de passe incorrect.')).toBeVisible();
    await expectAccessible(page, '/connexion (identifiants invalides)');
  });

  test('le bouton ProConnect apparaît quand le serveur l’a configuré', async ({ page }) => {
    // The test server has no OpenID Connect provider: its answer is stubbed for this page only.
    await page.route('**/api/v1/auth/oidc/config', (route) => route.fulfill({ json: { enabled: true } }));
    await visit(page, '/connexion?redirect=/carte', 'Connexion à Atelier');
    const button = page.getByRole('link', { name: 'S’identifier avec ProConnect' });
    await expect(button).toHaveAttribute('href', '/api/v1/auth/oidc/login?redirect=%2Fcarte');
  });

  test('les pages publiques restent accessibles en thème sombre', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await visit(page, '/', /plateforme de la production de logement social/);
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
    await visit(page, '/connexion', 'Connexion à Atelier');
  });

  test('les erreurs ProConnect renvoyées par le serveur sont expliquées', async ({ page }) => {
    await page.goto('/connexion?erreur=compte-inconnu');
    await expect(page.getByText(/aucun compte Atelier ne correspond/)).toBeVisible();
    await expectAccessible(page, '/connexion?erreur=compte-inconnu');
    await page.goto('/connexion?erreur=oidc');
    await expect(page.getByText(/La connexion avec ProConnect a échoué/)).toBeVisible();
  });

  test('les pages réservées renvoient vers la connexion', async ({ page }) => {
    for (const path of ['/compte', '/admin/utilisateurs', '/journal', '/organisations', '/operations', '/revues']) {
      await page.goto(path);
      await expect(page).toHaveURL(`/connexion?redirect=${encodeURIComponent(path)}`);
      await expect(page.getByRole('heading', { level: 1, name: 'Connexion à Atelier' })).toBeVisible();
    }
  });

  test('une adresse inconnue affiche la page 404', async ({ page }) => {
    await visit(page, '/nulle-part', 'Page non trouvée');
    await expect(page).toHaveTitle('Page non trouvée — Atelier');
    await visit(page, '/communes/30999', 'Page non trouvée');
  });

  test('la déclaration d’accessibilité est en ligne', async ({ page }) => {
    await visit(page, '/accessibilite', 'Déclaration d’accessibilité');
  });
});
