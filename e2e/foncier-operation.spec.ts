import { apiCreate, apiSignIn, expect, expectAccessible, signIn, test } from './helpers';

/**
 * The State agent links a gisement to the operation built on it and associates a landlord, from
 * the gisement's form; the operation's sheet then shows the gisement.
 */
test('gisement : rattacher l’opération construite dessus et un bailleur associé', async ({ page, request }) => {
  await apiSignIn(request, 'agent_etat');
  const bailleurs = (await (await request.get('/api/v1/organisations?type=bailleur')).json()) as { results: { id: string; nom: string }[] };
  const bailleur = bailleurs.results[0]!;
  const operation = await apiCreate<{ id: string; nom: string }>(request, 'agent_etat', '/api/v1/operations', {
    nom: `Résidence du Cadereau ${Date.now()}`,
    commune_insee: '30189',
    type: 'construction_neuve',
    bailleur_id: bailleur.id,
  });
  const [lon, lat, d] = [4.3621, 43.8402, 0.0004];
  const gisement = await apiCreate<{ id: string; nom: string }>(request, 'agent_etat', '/api/v1/foncier/gisements', {
    nom: `Dent creuse du Cadereau ${Date.now()} (test)`,
    geometrie: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
    capacite_logements: 12,
  });

  await signIn(page, 'agent_etat');
  await page.goto(`/foncier/gisements/${gisement.id}`);
  await expect(page.getByRole('heading', { level: 1, name: gisement.nom })).toBeVisible();
  await page.getByRole('button', { name: 'Modifier' }).click();
  await page.getByLabel('Opération construite sur ce gisement').selectOption({ label: `${operation.nom} — Nîmes` });
  // DSFR draws the box on the label: click the label, as a user does.
  const associes = page.getByRole('group', { name: /Bailleurs associés/ });
  await associes.locator('label', { hasText: bailleur.nom }).click();
  await expect(associes.getByLabel(bailleur.nom)).toBeChecked();
  await expectAccessible(page, '/foncier/gisements/:id (modification)');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByText('Gisement enregistré.')).toBeVisible();
  await expect(page.getByRole('link', { name: operation.nom })).toHaveAttribute('href', `/operations/${operation.id}`);

  await page.goto(`/operations/${operation.id}`);
  await expect(page.getByRole('region', { name: 'Foncier et aides' }).getByRole('link', { name: gisement.nom })).toBeVisible();
});
