import type { Page, TestInfo } from '@playwright/test';
import { ACCOUNTS, apiSignIn, expect, test, type AccountKey } from './helpers';

/**
 * Every page of every role, looked at as a person does, at desktop (1280 px) and phone (375 px)
 * widths. A page fails on:
 * - an interactive element whose text does not fit its box (clipped) or that lies outside the
 *   viewport horizontally (unless it sits in a container that scrolls, like a wide table);
 * - an icon class (`fr-icon-*`) whose `::before` has no image, or whose image is not an SVG
 *   (a missing file answered by the single-page fallback draws nothing);
 * - horizontal scrolling of the page on a phone;
 * - an error in the console, an uncaught error, a failed request or an error answer.
 * A screenshot of each page is kept in test-results/.
 */

const WIDTHS = [
  { name: 'ordinateur', width: 1280, height: 900 },
  { name: 'telephone', width: 375, height: 800 },
] as const;

type Me = { permissions: string[] };

/** The pages a role reaches: its menu, its account, and the detail pages its permissions open. */
async function pagesOf(page: Page, account: AccountKey | null): Promise<string[]> {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Menu principal' }).first();
  const hrefs = await nav.locator('a[href^="/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '/'));
  const paths = new Set<string>([...hrefs, '/aides/eligibilite', '/communes/30189', '/epci/243000643', '/accessibilite']);
  if (account === null) {
    paths.add('/connexion');
    return [...paths];
  }
  paths.add('/compte');
  const me = (await (await page.request.get('/api/v1/me')).json()) as Me;
  const can = (p: string) => me.permissions.includes(p);
  if (can('operations:read')) {
    const list = (await (await page.request.get('/api/v1/operations?limit=1')).json()) as { results: { id: string }[] };
    if (list.results[0]) paths.add(`/operations/${list.results[0].id}`);
  }
  if (can('operations:import')) paths.add('/operations/import');
  if (can('revues:read')) {
    const list = (await (await page.request.get('/api/v1/revues')).json()) as { results: { id: string }[] };
    if (list.results[0]) paths.add(`/revues/${list.results[0].id}`);
  }
  if (can('foncier:read')) paths.add('/foncier/observatoire');
  if (can('foncier:write')) paths.add('/foncier/import');
  if (can('aides:review')) for (const p of ['/aides/revue', '/aides/statistiques', '/aides/vocabulaire']) paths.add(p);
  if (can('aides:import')) paths.add('/aides/import');
  if (can('rapports:cdhh')) paths.add('/rapports/cdhh');
  if (can('attributions:read')) for (const p of ['/attributions/logements-liberes', '/attributions/livraisons']) paths.add(p);
  return [...paths];
}

type Finding = string;

/** What a person would see wrong on the page as it is displayed now. */
async function lookAt(page: Page, phone: boolean): Promise<{ findings: Finding[]; icons: string[] }> {
  return page.evaluate((phone) => {
    const findings: string[] = [];
    const icons = new Set<string>();
    const vw = document.documentElement.clientWidth;
    const label = (el: Element) => {
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
      const name = el.getAttribute('aria-label') ?? el.getAttribute('title') ?? '';
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> « ${text || name} »`;
    };
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    };
    /** Inside a container that scrolls horizontally (a wide table): reachable by scrolling it. */
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if ((o === 'auto' || o === 'scroll') && p.scrollWidth > p.clientWidth + 1) return true;
      }
      return false;
    };
    const screenReaderOnly = (el: Element) => el.closest('.fr-sr-only, .sr-only, .fr-skiplinks') !== null;

    const interactive = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=tab]');
    for (const el of Array.from(interactive)) {
      if (!shown(el) || screenReaderOnly(el)) continue;
      const r = el.getBoundingClientRect();
      if ((r.right > vw + 1 || r.left < -1) && !inScroller(el)) findings.push(`hors de l’écran horizontalement (${Math.round(r.left)}–${Math.round(r.right)} px pour ${vw} px) : ${label(el)}`);
      const text = (el.textContent ?? '').trim();
      const style = getComputedStyle(el);
      // A DSFR icon-only button (the header's « Menu », « Fermer ») hides its text on purpose: the
      // text is its accessible name. An icon button meant to show its text (`fr-btn--icon-left`) is not one.
      const cls = el.getAttribute('class') ?? '';
      const iconOnly = /(^|\s)fr-btn(\s|$)/.test(cls) && /fr-icon-|fr-btn--(menu|close|search)/.test(cls) && !/fr-btn--icon-(left|right)/.test(cls);
      if (text && !iconOnly && el instanceof HTMLElement && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 2) {
        findings.push(`texte coupé (${el.scrollWidth} px de texte dans ${el.clientWidth} px) : ${label(el)}`);
      }
    }

    for (const el of Array.from(document.querySelectorAll('[class*="fr-icon-"], [class*="fr-btn--icon-"]'))) {
      if (!shown(el) || !/(^|\s)fr-icon-/.test(el.getAttribute('class') ?? '')) continue;
      const before = getComputedStyle(el, '::before');
      const image = [before.maskImage, before.webkitMaskImage, before.backgroundImage].find((v) => v && v !== 'none');
      if (!image || before.content === 'none') findings.push(`icône sans image : ${label(el)} (${el.getAttribute('class') ?? ''})`);
      else {
        const url = /url\("?([^")]+)"?\)/.exec(image)?.[1];
        if (url) icons.add(url);
      }
    }

    if (phone && document.documentElement.scrollWidth > window.innerWidth + 1) {
      findings.push(`défilement horizontal sur téléphone : la page mesure ${document.documentElement.scrollWidth} px pour ${window.innerWidth} px`);
    }
    return { findings, icons: [...icons] };
  }, phone);
}

async function checkPage(page: Page, path: string, phone: boolean, testInfo: TestInfo, problems: string[]): Promise<void> {
  await page.goto(path, { waitUntil: 'networkidle' });
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  if (path === '/carte' || path === '/foncier') await expect(page.locator('[data-carte-etat="prete"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^Chargement/)).toHaveCount(0, { timeout: 20_000 });
  const { findings, icons } = await lookAt(page, phone);
  for (const url of icons) {
    const answer = await page.request.get(url);
    const type = answer.headers()['content-type'] ?? '';
    if (!answer.ok() || !type.includes('svg')) findings.push(`icône introuvable : ${url} (${answer.status()} ${type})`);
  }
  const name = `${path.replace(/[^a-z0-9]+/gi, '_') || 'accueil'}.png`;
  await page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  problems.push(...findings.map((f) => `${path} : ${f}`));
}

for (const { name: widthName, width, height } of WIDTHS) {
  for (const account of [null, ...(Object.keys(ACCOUNTS) as AccountKey[])]) {
    test(`pages de ${account ?? 'anonyme'} sur ${widthName} (${width} px)`, async ({ page }, testInfo) => {
      test.setTimeout(300_000);
      await page.setViewportSize({ width, height });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // The anonymous visitor's first question, « who am I? », is answered 401 by design.
        if (account === null && m.location().url.endsWith('/api/v1/me')) return;
        problems.push(`${page.url()} : erreur dans la console : ${m.text()}`);
      });
      page.on('requestfailed', (r) => {
        // A request the page itself abandoned (navigation, superseded map area) is not a failure.
        if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
        problems.push(`${page.url()} : requête échouée : ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
      });
      page.on('response', (r) => {
        if (r.status() < 400) return;
        if (account === null && r.status() === 401 && r.url().endsWith('/api/v1/me')) return;
        problems.push(`${page.url()} : réponse ${r.status()} : ${r.request().method()} ${r.url()}`);
      });
      if (account) await apiSignIn(page.request, account);
      const paths = await pagesOf(page, account);
      for (const path of paths) await checkPage(page, path, width < 600, testInfo, problems);
      expect(problems, `Ce qu’une personne verrait de travers :\n${problems.join('\n')}`).toEqual([]);
    });
  }
}
