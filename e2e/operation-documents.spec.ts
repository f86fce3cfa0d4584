import { readFileSync } from 'node:fs';
import { apiCreate, expect, expectAccessible, signIn, signOut, test } from './helpers';

/**
 * Documents of an operation: the landlord attaches a file, a wrong one is refused with the
 * server's message, the commune downloads it byte for byte, the landlord removes it.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('documents joints : ajout, refus d’un faux PDF, téléchargement par la commune, retrait', async ({ page, request }) => {
  const operation = await apiCreate<{ id: string; nom: string }>(request, 'bailleur', '/api/v1/operations', {
    nom: `Résidence Les Cades ${Date.now()}`,
    commune_insee: '30060',
    type: 'vefa',
  });

  await signIn(page, 'bailleur');
  await page.goto(`/operations/${operation.id}`);
  const section = page.getByRole('region', { name: 'Documents' });
  await expect(section).toContainText('Aucun document n’est joint à cette opération.');

  // Nothing chosen: each field says what is missing.
  await section.getByRole('button', { name: 'Joindre le document' }).click();
  await expect(section).toContainText('Choisissez le fichier à joindre.');
  await expect(section).toContainText('Choisissez la catégorie du document.');

  // A renamed file is refused with the server's French message.
  await section.getByLabel('Fichier').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ pas un PDF') });
  await section.getByLabel('Catégorie').selectOption({ label: 'Plan, esquisse, photo' });
  await section.getByRole('button', { name: 'Joindre le document' }).click();
  await expect(section).toContainText('le contenu ne correspond pas à un fichier .pdf');

  await section.getByLabel('Fichier').setInputFiles({ name: 'Permis de construire.pdf', mimeType: 'application/pdf', buffer: PDF });
  await section.getByLabel('Catégorie').selectOption({ label: 'Permis de construire' });
  await section.getByRole('button', { name: 'Joindre le document' }).click();
  await expect(section).toContainText('Le document « Permis de construire.pdf » a été joint.');
  await expect(section.getByRole('table', { name: 'Documents de l’opération (1)' })).toContainText('Permis de construire');
  await expectAccessible(page, '/operations/:id (documents)');
  await signOut(page);

  // The commune sees the operations of its territory: it downloads the document.
  await signIn(page, 'commune');
  await page.goto(`/operations/${operation.id}`);
  const link = page.getByRole('region', { name: 'Documents' }).getByRole('link', { name: 'Permis de construire.pdf' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('Permis de construire.pdf');
  expect(readFileSync((await download.path())!)).toEqual(PDF);
  await signOut(page);

  await signIn(page, 'bailleur');
  await page.goto(`/operations/${operation.id}`);
  const again = page.getByRole('region', { name: 'Documents' });
  await again.getByRole('button', { name: 'Retirer « Permis de construire.pdf »' }).click();
  await expect(again).toContainText('Le document « Permis de construire.pdf » a été retiré.');
  await expect(again).toContainText('Aucun document n’est joint à cette opération.');
});
