import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Playwright's `test`, whose page also fails the test on any uncaught error or any
 * Content-Security-Policy refusal (the production CSP is served in the tests).
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`erreur non interceptée : ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text) || text.startsWith('Carte :')) problems.push(text);
    });
    await use(page);
    expect(problems, 'erreurs dans la page').toEqual([]);
  },
});

export { expect };

export const DEMO_PASSWORD = 'demo-atelier-2026';

/** Every demo account, with what its home page must say. */
export const ACCOUNTS = {
  admin: { email: 'admin@demo.test', nom: 'Alice Admin (démo)', role: 'Administrateur', perimetre: 'National' },
  agent_etat: {
    email: 'agent-etat@demo.test',
    nom: 'Étienne État (démo)',
    role: 'Agent de l’État',
    perimetre: 'Département : Gard (30)',
  },
  agent_epci: {
    email: 'agent-epci@demo.test',
    nom: 'Émilie EPCI (démo)',
    role: 'Agent d’EPCI',
    perimetre: 'EPCI : CA de Nîmes Métropole',
  },
  commune: {
    email: 'commune@demo.test',
    nom: 'Camille Commune (démo)',
    role: 'Commune',
    perimetre: 'Commune : Caissargues (30060)',
  },
  bailleur: {
    email: 'bailleur@demo.test',
    nom: 'Bruno Bailleur (démo)',
    role: 'Bailleur social',
    perimetre: 'Organisation : Habitat Démo Gard',
  },
  financeur: {
    email: 'financeur@demo.test',
    nom: 'Fanny Financeur (démo)',
    role: 'Financeur',
    perimetre: 'Organisation : Financeur Démo',
  },
  epf: {
    email: 'epf@demo.test',
    nom: 'Paul Foncier (démo)',
    role: 'Établissement public foncier',
    perimetre: 'Organisation : EPF Démo',
  },
} as const;

export type AccountKey = keyof typeof ACCOUNTS;

/** The navigation labels, as the header shows them. */
export const NAV = {
  accueil: 'Accueil',
  carte: 'Carte',
  aides: 'Aides',
  mesAides: 'Mes aides',
  operations: 'Opérations',
  foncier: 'Foncier',
  revues: 'Revues de projet',
  attributions: 'Attributions',
  cdhh: 'Rapport CDHH',
  revueAides: 'Revue des aides',
  organisations: 'Organisations',
  utilisateurs: 'Utilisateurs',
  journal: 'Journal d’audit',
} as const;

/**
 * Runs axe (WCAG 2.0/2.1 A and AA) on the current page and fails with a readable list of the
 * violations. No rule is disabled: a violation is fixed in the UI.
 */
export async function expectAccessible(page: Page, label?: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact ?? '?'}): ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ') ?? ''}`)
          .join('\n')}`,
    )
    .join('\n');
  expect(results.violations, `Violations axe sur ${label ?? page.url()} :\n${summary}`).toEqual([]);
}

/** Opens `path`, waits for its main heading and checks the page with axe. */
export async function visit(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expectAccessible(page, path);
}

/** Signs in through the form, the way a person does, and lands on the home page. */
export async function signIn(page: Page, account: AccountKey): Promise<void> {
  const { email, nom } = ACCOUNTS[account];
  await page.goto('/connexion');
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion à Atelier' })).toBeVisible();
  await expect(page).toHaveTitle('Connexion — Atelier');
  await page.getByRole('textbox', { name: /^Adresse électronique/ }).fill(email);
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1, name: `Bonjour ${nom}` })).toBeVisible();
}

/** Signs out with the header button and checks the anonymous home page is back. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('link', { name: 'Se connecter' }).first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: /plateforme de la production de logement social/ })).toBeVisible();
}

/** The signed-in home: greeting, role, scope, and the tiles the permissions allow. */
export async function checkHome(page: Page, account: AccountKey, tiles: string[]): Promise<void> {
  const { role, perimetre } = ACCOUNTS[account];
  await expect(page).toHaveTitle('Accueil — Atelier');
  const profil = page.getByRole('list', { name: 'Votre profil' });
  await expect(profil).toContainText(role);
  await expect(profil).toContainText(perimetre);
  const tileTitles = page.getByRole('heading', { level: 3 });
  await expect(tileTitles).toHaveText(tiles);
  await expectAccessible(page, 'accueil');
}

/** The header navigation shows exactly these entries, in this order. */
export async function checkNavigation(page: Page, entries: string[]): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Menu principal' });
  await expect(nav.getByRole('link')).toHaveText(entries);
}

/**
 * The map page: waits for the canvas and for the commune layer to be drawn, opens a commune's
 * sheet by clicking the map, then another one through the accessible list.
 */
export async function checkMap(page: Page): Promise<void> {
  await page.goto('/carte');
  await expect(page.getByRole('heading', { level: 1, name: 'Carte des communes du Gard' })).toBeVisible();
  await expect(page).toHaveTitle('Carte des communes — Atelier');
  const canvas = page.locator('canvas.maplibregl-canvas');
  await expect(canvas).toBeVisible();
  await expect(canvas).toHaveAttribute('aria-label', /Carte des communes du Gard/);
  await expect(page.locator('[data-carte-etat="prete"]')).toBeVisible({ timeout: 30_000 });

  // A click in the middle of the département lands on a commune and opens its sheet.
  await canvas.click();
  const fiche = page.getByRole('article');
  await expect(fiche.getByText('Code INSEE')).toBeVisible();
  await expect(page).toHaveURL(/\/carte\?commune=30\d{3}$/);

  // Same sheet from the list, without the mouse.
  await page.getByLabel('Choisir une commune').selectOption('30189');
  await expect(fiche.getByRole('heading', { level: 2, name: 'Nîmes' })).toBeVisible();
  await expect(fiche).toContainText('30189');
  await expect(fiche.getByRole('link', { name: 'CA de Nîmes Métropole' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Légende : les EPCI du Gard' })).toBeVisible();
  await expectAccessible(page, '/carte');

  // The full commune sheet and its EPCI.
  await fiche.getByRole('link', { name: 'Ouvrir la fiche de Nîmes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nîmes' })).toBeVisible();
  await expect(page).toHaveTitle('Nîmes — fiche commune — Atelier');
  await expectAccessible(page, '/communes/30189');
  await page.getByRole('link', { name: 'CA de Nîmes Métropole' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'CA de Nîmes Métropole' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Caissargues' })).toBeVisible();
  await expectAccessible(page, '/epci/243000643');
}

/** The account page: profile, then a token created (shown once) and revoked. */
export async function checkAccountAndTokens(page: Page, account: AccountKey): Promise<void> {
  await visit(page, '/compte', 'Mon compte');
  await expect(page.getByText(ACCOUNTS[account].email)).toBeVisible();
  const nom = `Jeton e2e ${account} ${Date.now()}`;
  await page.getByLabel('Nom du jeton').fill(nom);
  // Every token expires: 90 days unless the user chooses (issue 19).
  await expect(page.getByLabel(/Durée de validité/)).toHaveValue('90');
  await page.getByLabel(/Durée de validité/).fill('30');
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  await expect(page.getByText(`Jeton « ${nom} » créé`)).toBeVisible();
  await expect(page.getByTestId('jeton-en-clair')).toHaveText(/^atl_/);
  await expect(page.getByText(/Il expirera le/)).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: nom });
  await expect(row).toContainText('Actif');
  await expectAccessible(page, '/compte (jeton créé)');
  await row.getByRole('button', { name: /Révoquer/ }).click();
  await expect(page.getByText(`Le jeton « ${nom} » a été révoqué.`)).toBeVisible();
  await expect(row).toContainText('Révoqué');
  await expectAccessible(page, '/compte (jeton révoqué)');
}

/** A page outside the role's permissions: absent from the navigation, refused when typed in. */
export async function checkRefused(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: 'Accès refusé' })).toBeVisible();
  await expectAccessible(page, `${path} (refusé)`);
}

/** Signs in through the API (for test set-up only) and returns the CSRF token. */
export async function apiSignIn(request: APIRequestContext, account: AccountKey): Promise<string> {
  const response = await request.post('/api/v1/auth/login', {
    data: { email: ACCOUNTS[account].email, password: DEMO_PASSWORD },
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { csrf_token: string };
  return body.csrf_token;
}

/** The sections a role without users nor audit sees beyond the common ones, in the menu's order. */
export type Extras = { operations?: boolean; revues?: boolean; foncier?: boolean; mesAides?: boolean; attributions?: boolean };

/**
 * The journey of a role holding the common permissions (`organisations:read`, `tokens:own`), and
 * perhaps the operations register and the project reviews: agent d’EPCI, commune, bailleur,
 * financeur, EPF.
 */
export function describeCommonRole(account: AccountKey, label: string, extras: Extras = {}): void {
  test.describe(label, () => {
    test.beforeEach(async ({ page }) => {
      await signIn(page, account);
    });

    test('accueil et navigation selon ses permissions', async ({ page }) => {
      const tiles = ['Carte des communes', 'Aides au financement'];
      const entries: string[] = [NAV.accueil, NAV.carte, NAV.aides];
      if (extras.mesAides) {
        tiles.push('Mes aides');
        entries.push(NAV.mesAides);
      }
      if (extras.operations) {
        tiles.push('Opérations');
        entries.push(NAV.operations);
      }
      if (extras.foncier) {
        tiles.push('Foncier');
        entries.push(NAV.foncier);
      }
      if (extras.revues) {
        tiles.push('Revues de projet');
        entries.push(NAV.revues);
      }
      if (extras.attributions) {
        tiles.push('Attributions');
        entries.push(NAV.attributions);
      }
      await checkHome(page, account, [...tiles, 'Organisations', 'Mon compte']);
      await checkNavigation(page, [...entries, NAV.organisations]);
    });

    if (!extras.operations)
      test('pas d’accès aux opérations ni aux revues', async ({ page }) => {
        await checkRefused(page, '/operations');
        await checkRefused(page, '/revues');
        expect([403, 404]).toContain((await page.request.get('/api/v1/operations')).status());
      });
    else if (!extras.revues)
      test('pas d’accès aux revues de projet', async ({ page }) => {
        await checkRefused(page, '/revues');
        expect([403, 404]).toContain((await page.request.get('/api/v1/revues')).status());
      });

    test('carte et fiches communes', async ({ page }) => {
      await checkMap(page);
    });

    test('organisations', async ({ page }) => {
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: NAV.organisations }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
      await expect(page).toHaveTitle('Organisations — Atelier');
      await expect(page.getByRole('table')).toBeVisible();
      await expectAccessible(page, '/organisations');
    });

    test('compte et jetons d’API', async ({ page }) => {
      await checkAccountAndTokens(page, account);
    });

    test('pas d’accès aux utilisateurs ni au journal', async ({ page }) => {
      await checkRefused(page, '/admin/utilisateurs');
      await checkRefused(page, '/journal');
      // The server refuses too: the UI only mirrors it.
      expect([403, 404]).toContain((await page.request.get('/api/v1/users')).status());
      expect([403, 404]).toContain((await page.request.get('/api/v1/audit')).status());
    });

    test('déconnexion', async ({ page }) => {
      await signOut(page);
      await page.goto('/compte');
      await expect(page).toHaveURL(/\/connexion\?redirect=/);
    });
  });
}

/**
 * Creates what a spec needs through the API (set-up only, as `account`), so that each spec stands
 * on its own data. Returns the parsed answer; fails the test on any other status than 201.
 */
export async function apiCreate<T>(request: APIRequestContext, account: AccountKey, path: string, data: unknown): Promise<T> {
  const csrf = await apiSignIn(request, account);
  const response = await request.post(path, { headers: { 'x-csrf-token': csrf }, data });
  expect(response.status(), `${path} : ${await response.text()}`).toBe(201);
  return (await response.json()) as T;
}
