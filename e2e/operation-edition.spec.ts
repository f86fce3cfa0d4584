import type { APIRequestContext } from '@playwright/test';
import { apiCreate, expect, expectAccessible, signIn, test } from './helpers';

/**
 * Editing an operation's sheet: the stage rules the server enforces (a field locked past the
 * agrément) and the financing plan. Each test creates its own operation through the API.
 */

/** A landlord's operation in Caissargues, created for the test alone. */
async function creer(request: APIRequestContext, nom: string, champs: Record<string, unknown>): Promise<{ id: string; nom: string }> {
  return apiCreate<{ id: string; nom: string }>(request, 'bailleur', '/api/v1/operations', { nom: `${nom} ${Date.now()}`, commune_insee: '30060', ...champs });
}

test.describe('fiche d’une opération : édition', () => {
  test('après l’agrément, modifier les logements est refusé avec le message de l’API', async ({ page, request }) => {
    const operation = await creer(request, 'Résidence Les Arbousiers', {
      type: 'construction_neuve',
      etape: 'agrement',
      date_agrement: '2026-02-10',
      annee_programmation: 2026,
      logements: { plai: 3, plus: 9 },
    });

    await signIn(page, 'bailleur');
    await page.goto(`/operations/${operation.id}`);
    await expect(page.getByRole('heading', { level: 1, name: operation.nom })).toBeVisible();
    await expect(page.locator('[aria-current="step"]')).toContainText('Agrément obtenu');

    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Modifier l’opération' }) });
    await form.getByLabel('Logements PLUS', { exact: true }).fill('12');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    const alert = form.locator('[aria-live="assertive"]');
    await expect(alert).toContainText('Champs verrouillés à l’étape « Agrément obtenu »');
    await expectAccessible(page, '/operations/:id (champ verrouillé)');
    // Nothing changed: the sheet still shows the programme the agrément fixed.
    await page.reload();
    const plus = page.getByRole('table', { name: 'Logements par produit' }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'PLUS', exact: true }) });
    await expect(plus).toContainText('9');
    await expect(form.getByLabel('Logements PLUS', { exact: true })).toHaveValue('9');

    // A field the stage does not lock is still editable.
    await form.getByLabel('Logements PLUS', { exact: true }).fill('9');
    await form.getByLabel('Adresse', { exact: true }).fill('3 rue des Arbousiers, 30132 Caissargues');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await expect(page.getByText('L’opération a été modifiée.')).toBeVisible();
  });

  test('plan de financement : deux lignes, le total et l’écart, enregistrés et relus', async ({ page, request }) => {
    const operation = await creer(request, 'Résidence Les Lauriers', { type: 'vefa', cout_total: 1_000_000 });

    await signIn(page, 'bailleur');
    await page.goto(`/operations/${operation.id}`);
    await expect(page.getByRole('heading', { level: 1, name: operation.nom })).toBeVisible();
    const section = page.getByRole('region', { name: 'Plan de financement' });
    await expect(section).toContainText('Aucun financement renseigné.');
    await expectAccessible(page, '/operations/:id (plan de financement vide)');

    await section.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await expect(section.getByLabel('Catégorie, ligne 1')).toBeFocused();
    await section.getByLabel('Catégorie, ligne 1').selectOption({ label: 'Prêt' });
    await section.getByLabel('Source, ligne 1').fill('Prêt PLUS');
    await section.getByLabel('Financeur (facultatif), ligne 1').fill('Banque des Territoires');
    await section.getByLabel('Montant en euros, ligne 1').fill('600 000');
    await section.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await section.getByLabel('Catégorie, ligne 2').selectOption({ label: 'Subvention' });
    await section.getByLabel('Source, ligne 2').fill('Subvention PLAI');
    await section.getByLabel('Financeur (facultatif), ligne 2').fill('État (FNAP)');
    await section.getByLabel('Montant en euros, ligne 2').fill('150000,50');
    await expect(section.getByTestId('total-financements')).toHaveText(/^750\s000,50\s€$/);
    await expect(section.getByTestId('ecart-financement')).toHaveText(/Reste à financer : 249\s999,50\s€/);

    // A third line left incomplete: the errors name the line and the field.
    await section.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await section.getByLabel('Montant en euros, ligne 3').fill('beaucoup');
    await section.getByRole('button', { name: 'Enregistrer le plan de financement' }).click();
    await expect(section.getByText('Ligne 3, catégorie : Choisissez la catégorie')).toBeVisible();
    await expect(section.getByText('Ligne 3, source : Saisissez la source')).toBeVisible();
    await expect(section.getByText('Ligne 3, montant : Saisissez un montant positif')).toBeVisible();
    await expect(section.getByLabel('Source, ligne 3')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, '/operations/:id (plan de financement en erreur)');
    await section.getByRole('button', { name: /Retirer la ligne 3/ }).click();
    await expect(section.getByRole('button', { name: 'Ajouter une ligne' })).toBeFocused();
    await expect(section.getByLabel('Source, ligne 3')).toHaveCount(0);

    await section.getByRole('button', { name: 'Enregistrer le plan de financement' }).click();
    await expect(page.getByText('Le plan de financement a été enregistré.')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Historique' })).toContainText(/financement/i);

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: operation.nom })).toBeVisible();
    await expect(section.getByLabel('Source, ligne 1')).toHaveValue('Prêt PLUS');
    await expect(section.getByLabel('Catégorie, ligne 1')).toHaveValue('pret');
    await expect(section.getByLabel('Financeur (facultatif), ligne 2')).toHaveValue('État (FNAP)');
    await expect(section.getByLabel('Montant en euros, ligne 2')).toHaveValue('150000.5');
    await expect(section.getByTestId('total-financements')).toHaveText(/^750\s000,50\s€$/);
    await expectAccessible(page, '/operations/:id (plan de financement enregistré)');

    // Whoever may not modify the operation reads the plan as a table. No demo role reads an
    // operation it may not modify, so the answer's policy is turned off here to show that view.
    await page.route(`**/api/v1/operations/${operation.id}`, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { policies: { modifier: boolean } };
      await route.fulfill({ response, json: { ...body, policies: { modifier: false } } });
    });
    await page.reload();
    const table = section.getByRole('table', { name: 'Plan de financement' });
    await expect(table.getByRole('row').filter({ hasText: 'Prêt PLUS' })).toContainText('Banque des Territoires');
    await expect(table.getByRole('row').filter({ hasText: 'Subvention PLAI' })).toContainText(/150\s000,50\s€/);
    await expect(section.getByRole('textbox')).toHaveCount(0);
    await expect(section.getByRole('button')).toHaveCount(0);
    await expect(section.getByTestId('ecart-financement')).toHaveText(/Reste à financer : 249\s999,50\s€/);
    await expectAccessible(page, '/operations/:id (plan de financement en lecture)');
  });
});
