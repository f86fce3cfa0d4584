import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, expectAccessible, test } from './helpers';

/**
 * Issue 15: the public housing page of a commune, its simulator with JavaScript disabled and
 * enabled, and its embed framed by a page of another origin (a commune's website), with axe.
 */

/** Serves one HTML page on another port: another origin than the platform's. */
async function serveCommuneSite(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const hostPage = (corps: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie de Nîmes — logement</title></head><body><main><h1>Site de la mairie : le logement social</h1>${corps}</main></body></html>`;

test.describe('page publique du logement social d’une commune', () => {
  test('sans JavaScript : le formulaire est traité par le serveur', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto('/logement-social/30189');
    await expect(page.getByRole('heading', { level: 1, name: 'Le logement social à Nîmes' })).toBeVisible();
    await expect(page).toHaveTitle('Logement social à Nîmes — Atelier');

    await page.getByLabel('Nombre de personnes à loger').fill('3');
    await page.getByLabel('Dont personnes à charge (facultatif)').fill('1');
    await page.getByLabel('Revenu fiscal de référence, en euros').fill('25 000');
    await page.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();

    await expect(page).toHaveURL(/\/logement-social\/30189\?annee=\d{4}&personnes=3&personnes_a_charge=1&revenu_fiscal=25\+000#resultat$/);
    const resultat = page.getByRole('region', { name: /^Résultat : catégorie de ménage 3/ });
    await expect(resultat).toBeVisible();
    await expect(resultat.getByRole('row', { name: /^PLUS/ })).toContainText('Éligible');
    await expect(resultat.getByRole('row', { name: /^PLAI/ })).toContainText('Non disponible');
    await expect(resultat.getByRole('link', { name: /^Arrêté du/ })).toHaveAttribute('href', /^https:\/\/www\.legifrance\.gouv\.fr\//);
    // The values typed come back in the form.
    await expect(page.getByLabel('Revenu fiscal de référence, en euros')).toHaveValue('25 000');

    // A wrong value: the server names it beside its field.
    await page.getByLabel('Revenu fiscal de référence, en euros').fill('-10');
    await page.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
    await expect(page.getByRole('alert')).toContainText('Le formulaire contient 1 erreur');
    await expect(page.getByLabel('Revenu fiscal de référence, en euros')).toHaveAccessibleDescription(/le montant ne peut pas être négatif/);
    await context.close();
  });

  test('avec JavaScript : même parcours, accessible, lisible sur téléphone', async ({ page }) => {
    // Four axe runs and four page loads: more than the default minute on a loaded machine.
    test.slow();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto('/logement-social/30189');
    await expect(page.getByRole('heading', { level: 1, name: 'Le logement social à Nîmes' })).toBeVisible();
    await expectAccessible(page, '/logement-social/30189');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

    await page.getByLabel('Nombre de personnes à loger').fill('2');
    await page.getByLabel('Revenu fiscal de référence, en euros').fill('30000');
    // DSFR draws the box on the label, which takes the click, as a person does.
    await page.locator('label[for="jeune_menage"]').click();
    await expect(page.getByLabel(/Nous sommes un jeune ménage/)).toBeChecked();
    await page.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
    const resultat = page.getByRole('region', { name: /^Résultat : catégorie de ménage 3/ });
    await expect(resultat).toBeVisible();
    await expect(resultat).toContainText('un jeune ménage sans personne à charge');
    await expectAccessible(page, '/logement-social/30189 (résultat)');

    await page.getByLabel('Nombre de personnes à loger').fill('0');
    await page.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
    await expect(page.getByRole('alert')).toContainText('Nombre de personnes « 0 »');
    await expectAccessible(page, '/logement-social/30189 (erreur)');

    await page.goto('/logement-social/99999');
    await expect(page.getByRole('heading', { level: 1, name: 'Commune introuvable' })).toBeVisible();
    await expectAccessible(page, '/logement-social/99999');
  });

  test('la page intégrée sur le site d’une commune (autre origine) s’ajuste à son contenu', async ({ page, request }) => {
    test.slow();
    // The snippet exactly as the page offers it to copy.
    await page.goto('/logement-social/30189');
    const snippet = await page.getByLabel('Code à copier pour intégrer la page').textContent();
    expect(snippet).toContain('<iframe src="http');
    const site = await serveCommuneSite(hostPage(snippet!));
    try {
      await page.goto(site.url);
      const iframe = page.locator('iframe[data-atelier-logement-social]');
      const cadre = page.frameLocator('iframe[data-atelier-logement-social]');
      await expect(cadre.getByRole('heading', { level: 1, name: 'Le logement social à Nîmes' })).toBeVisible();
      await expect(cadre.getByRole('banner')).toHaveCount(0);

      const hauteurs = async () => {
        const frame = (await iframe.elementHandle())!.contentFrame();
        const contenu = await (await frame)!.evaluate(() => Math.ceil(document.getElementById('cadre')!.getBoundingClientRect().bottom + window.scrollY));
        const box = await iframe.boundingBox();
        return { contenu, cadre: Math.round(box!.height) };
      };
      // The frame takes its content's height (the snippet's 1200 px is only the default).
      await expect.poll(async () => { const h = await hauteurs(); return Math.abs(h.cadre - h.contenu); }).toBeLessThanOrEqual(2);
      const avant = (await hauteurs()).cadre;
      await expectAccessible(page, 'site de la commune avec la page intégrée');

      await cadre.getByLabel('Nombre de personnes à loger').fill('4');
      await cadre.getByLabel('Dont personnes à charge (facultatif)').fill('2');
      await cadre.getByLabel('Revenu fiscal de référence, en euros').fill('41000');
      await cadre.getByRole('button', { name: 'Vérifier mon éligibilité' }).click();
      await expect(cadre.getByRole('region', { name: /^Résultat : catégorie de ménage 4/ })).toBeVisible();
      await expect.poll(async () => (await hauteurs()).cadre).toBeGreaterThan(avant);
      await expect.poll(async () => { const h = await hauteurs(); return Math.abs(h.cadre - h.contenu); }).toBeLessThanOrEqual(2);
      await expectAccessible(page, 'site de la commune, résultat dans la page intégrée');
    } finally {
      await site.close();
    }
    // The headers behind it: the embed may be framed, the page itself may not.
    expect((await request.get('/embed/logement-social/30189')).headers()['content-security-policy']).toMatch(/frame-ancestors \*/);
    expect((await request.get('/logement-social/30189')).headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  test('la page complète, elle, refuse d’être intégrée ailleurs', async ({ browser, baseURL }) => {
    // Its own context: Chromium's refusal is logged as a console error, which is the point here.
    const context = await browser.newContext();
    const page = await context.newPage();
    const refus: string[] = [];
    page.on('console', (m) => refus.push(m.text()));
    const site = await serveCommuneSite(hostPage(`<iframe src="${baseURL}/logement-social/30189" title="Page non intégrable"></iframe>`));
    try {
      await page.goto(site.url);
      await expect.poll(() => refus.some((t) => /frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(t))).toBe(true);
      await expect(page.frameLocator('iframe').getByRole('heading', { name: 'Le logement social à Nîmes' })).toHaveCount(0);
    } finally {
      await site.close();
      await context.close();
    }
  });
});
