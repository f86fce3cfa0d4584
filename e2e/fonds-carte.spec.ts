import { expect, expectAccessible, signIn, test } from './helpers';

// The browser tests point the land map at a local tile server (e2e/tuiles.mjs, MAP_TILES_URL in
// playwright.config.ts): the IGN Géoplateforme itself is on the Internet, out of reach here.
const TUILES = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1000}`;

test.describe('fonds de carte', () => {
  // The map, its tiles and axe on a canvas page take time on a busy machine.
  test.setTimeout(180_000);
  test('agent de l’État : la carte du foncier se pose sur le fond configuré, on peut revenir aux contours, le choix est gardé', async ({ page }) => {
    await signIn(page, 'agent_etat');
    const tuile = page.waitForRequest((r) => r.url().startsWith(TUILES) && r.url().endsWith('.png'), { timeout: 30_000 });
    await page.goto('/foncier');
    await expect(page.getByRole('heading', { level: 1, name: 'Carte du foncier' })).toBeVisible();
    await expect(page.locator('[data-carte-etat="prete"]')).toBeVisible({ timeout: 30_000 });
    const fond = page.getByRole('group', { name: 'Fond de carte' });
    await expect(fond.getByLabel('Plan local (essai)')).toBeChecked();
    // The tiles are really fetched (the Content Security Policy lets the configured host through).
    const r = await tuile;
    expect((await r.response())?.status()).toBe(200);
    await expect(page.getByText('Fond de carte : Tuiles d’essai')).toBeVisible();
    await expectAccessible(page, '/foncier (fond de carte)');

    await fond.getByText('Contours seuls').click();
    await expect(fond.getByLabel('Contours seuls')).toBeChecked();
    await expect(page.getByText('Fond de carte : Tuiles d’essai')).toBeHidden();
    await page.reload();
    await expect(page.locator('[data-carte-etat="prete"]')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('group', { name: 'Fond de carte' }).getByLabel('Contours seuls')).toBeChecked();
  });
});
