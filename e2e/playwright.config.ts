import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
// E2E_PORT lets two checkouts run their browser tests side by side.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
// The local tile server (e2e/tuiles.mjs) stands for the IGN Géoplateforme, out of reach here.
const TUILES_PORT = PORT + 1000;

// A fresh embedded database for every run: the demo accounts are created on start.
const dataDir = mkdtempSync(join(tmpdir(), 'atelier-e2e-'));

const env: Record<string, string> = {
  PORT: String(PORT),
  ATELIER_DATA_DIR: dataDir,
  ATELIER_DEMO: '1',
  // The browser specs start from the demo accounts alone (they create what they check); the story is
  // checked by test/demo-histoire.api.test.ts.
  ATELIER_DEMO_HISTOIRE: process.env.ATELIER_DEMO_HISTOIRE ?? '0',
  MAP_FONDS: 'aucun',
  MAP_TILES_URL: `http://127.0.0.1:${TUILES_PORT}/{z}/{x}/{y}.png`,
  MAP_TILES_LIBELLE: 'Plan local (essai)',
  MAP_TILES_ATTRIBUTION: 'Tuiles d’essai',
  LOG_LEVEL: 'warn',
};
// Playwright also passes its own environment; these two are named because they change the run
// (server PostgreSQL instead of the embedded one, a fixed session secret).
for (const name of ['DATABASE_URL', 'SESSION_SECRET'] as const) {
  const value = process.env[name];
  if (value !== undefined) env[name] = value;
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // The page check (every page of every role at two widths, as a person sees them) looks at what the
  // UI renders, which does not depend on the database: it runs once, on the embedded database, so
  // that CI's second pass (server PostgreSQL) does not spend another quarter of an hour on it.
  testIgnore: process.env.DATABASE_URL ? ['pages.spec.ts'] : [],
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: join(repoDir, 'playwright-report') }]] : 'list',
  outputDir: join(repoDir, 'test-results'),
  use: {
    baseURL,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 900 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: 'node e2e/tuiles.mjs',
      cwd: repoDir,
      url: `http://127.0.0.1:${TUILES_PORT}/requetes`,
      reuseExistingServer: false,
      env: { TUILES_PORT: String(TUILES_PORT) },
    },
    {
      command: 'node scripts/start.mjs',
      cwd: repoDir,
      url: `${baseURL}/healthz`,
      // A fresh data dir is created, migrated and loaded first (about a minute on a busy 2-core machine).
      timeout: 420_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env,
    },
  ],
});
