import { apiCreate, apiSignIn, expect, expectAccessible, signIn, test } from './helpers';

/**
 * The operation sheet shows the gisement of the land observatory it stands on and the aids of the
 * catalogue it is eligible for, each with its reasons.
 */
test('fiche d’une opération : son gisement foncier et ses aides mobilisables', async ({ page, request }) => {
  await apiSignIn(request, 'agent_etat');
  const bailleurs = (await (await request.get('/api/v1/organisations?type=bailleur')).json()) as { results: { id: string }[] };
  const operation = await apiCreate<{ id: string; nom: string }>(request, 'agent_etat', '/api/v1/operations', {
    nom: `Résidence de la friche ${Date.now()}`,
    commune_insee: '30189',
    type: 'construction_neuve',
    bailleur_id: bailleurs.results[0]!.id,
    logements: { plai: 6, plus: 14 },
  });
  // A small square in the centre of Nîmes (near the Maison Carrée).
  const [lon, lat, d] = [4.3561, 43.8381, 0.0004];
  const gisement = await apiCreate<{ id: string }>(request, 'agent_etat', '/api/v1/foncier/gisements', {
    nom: 'Friche de la gare (test)',
    geometrie: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
    capacite_logements: 20,
    capacite_lls: 20,
    operation_id: operation.id,
  });

  await signIn(page, 'agent_etat');
  await page.goto(`/operations/${operation.id}`);
  const section = page.getByRole('region', { name: 'Foncier et aides' });
  await expect(section.getByRole('link', { name: 'Friche de la gare (test)' })).toHaveAttribute('href', `/foncier/gisements/${gisement.id}`);
  const aides = section.getByRole('region', { name: 'Aides mobilisables' });
  await expect(aides.getByRole('heading', { name: /Aides mobilisables \(\d+\)/ })).toBeVisible();
  await expect(aides.getByRole('listitem').first()).toContainText('Pourquoi :');
  await expectAccessible(page, '/operations/:id (foncier et aides)');
});
