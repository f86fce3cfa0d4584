import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { NAV, apiCreate, expect, expectAccessible, signIn, test } from './helpers';

/** Clicks a link that downloads a file and returns the download and its bytes. */
async function download(page: Page, name: string): Promise<{ file: Download; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).click()]);
  expect(await file.failure()).toBeNull();
  return { file, body: await readFile((await file.path())!) };
}

test.describe('documents des revues de projet', () => {
  test('l’ordre du jour et le compte rendu se téléchargent en PDF et en DOCX', async ({ page, request }) => {
    const revue = await apiCreate<{ id: string }>(request, 'agent_etat', '/api/v1/revues', {
      epci_siren: '243000643',
      date: '2028-03-14T10:00:00+01:00',
      lieu: 'DDTM du Gard',
    });
    await signIn(page, 'agent_etat');
    await page.goto(`/revues/${revue.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Revue de projet — CA de Nîmes Métropole' })).toBeVisible();
    await expectAccessible(page, '/revues/:id (documents)');

    for (const [name, extension, magic] of [
      ['Ordre du jour (PDF)', 'pdf', '%PDF-'],
      ['Ordre du jour (DOCX)', 'docx', 'PK'],
      ['Compte rendu (PDF)', 'pdf', '%PDF-'],
      ['Compte rendu (DOCX)', 'docx', 'PK'],
    ] as const) {
      const { file, body } = await download(page, name);
      expect(file.suggestedFilename(), name).toMatch(new RegExp(`\\.${extension}$`));
      expect(body.length, `${name} : fichier vide`).toBeGreaterThan(500);
      expect(body.subarray(0, magic.length).toString('latin1'), `${name} : en-tête du fichier`).toBe(magic);
    }
  });

  test('le rapport annuel au CDHH s’affiche et se télécharge', async ({ page }) => {
    await signIn(page, 'agent_etat');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: NAV.cdhh }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rapport annuel au CDHH' })).toBeVisible();
    await expectAccessible(page, '/rapports/cdhh');
    const annee = String(new Date().getFullYear());

    const [report] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: `Rapport ${annee} (HTML)` }).click()]);
    await expect(report.getByRole('heading', { level: 1 })).toContainText('Rapport annuel au CDHH');
    await expect(report.getByRole('heading', { level: 1 })).toContainText(annee);
    await expect(report.locator('body')).toContainText('Revues de projet');
    await report.close();

    const { body } = await download(page, `Rapport ${annee} (PDF)`);
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
