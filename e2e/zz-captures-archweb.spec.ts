// Temporary (not committed): screenshots of the changed pages at 1280 and 375 px.
import { expect, signIn, test } from './helpers';

const WIDTHS = [
  { name: '1280', width: 1280, height: 900 },
  { name: '375', width: 375, height: 800 },
];

test('captures of the changed pages', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, 'agent_etat');
  const ops = (await (await page.request.get('/api/v1/operations?limit=1')).json()) as { results: { id: string }[] };
  const gis = (await (await page.request.get('/api/v1/foncier/gisements/liste?limit=1')).json().catch(() => ({ results: [] }))) as { results: { id: string }[] };
  const paths: [string, string][] = [['operations', '/operations'], ['operation', `/operations/${ops.results[0]!.id}`]];
  if (gis.results?.[0]) paths.push(['gisement', `/foncier/gisements/${gis.results[0].id}`]);
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w.width, height: w.height });
    for (const [name, path] of paths) {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      await page.waitForTimeout(1500);
      if (name === 'operation') {
        const modifier = page.getByRole('button', { name: /Modifier l’opération/ });
        if (await modifier.count()) await modifier.first().click();
        await page.waitForTimeout(500);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      console.log(`${name} @${w.name}: horizontal overflow ${overflow}px`);
      await page.screenshot({ path: `/tmp/archweb-shots/${name}-${w.name}.png`, fullPage: true });
    }
  }
});
