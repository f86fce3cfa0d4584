import { NAV, expect, expectAccessible, signIn, test } from './helpers';

/** The State's agent plans an EPCI's whole cycle of reviews (three in the year) in one step. */
test('l’agent de l’État planifie le cycle de trois revues d’un EPCI', async ({ page }) => {
  await signIn(page, 'agent_etat');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: NAV.revues }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revues de projet' })).toBeVisible();

  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Planifier une revue ou le cycle de l’année' }) });
  // The DSFR draws the radio button on its label: the label is what a person clicks.
  await form.locator('label', { hasText: 'Le cycle de l’année (trois revues)' }).click();
  await expect(form.getByRole('radio', { name: /Le cycle de l’année \(trois revues\)/ })).toBeChecked();
  await expect(form.getByLabel('Date de la troisième revue')).toBeVisible();
  await expectAccessible(page, '/revues (cycle)');

  // The EPCI offered are those of the agent's département (from /me).
  const epci = form.getByLabel('EPCI');
  await expect(epci.locator('option', { hasText: 'CA de Nîmes Métropole' })).toHaveCount(1);
  await epci.selectOption({ label: 'CA de Nîmes Métropole' });
  await form.getByLabel('Date de la première revue').fill('2028-02-08');
  await form.getByLabel('Date de la deuxième revue').fill('2028-06-13');
  await form.getByLabel('Date de la troisième revue').fill('2028-02-08');
  await form.getByLabel('Heure').fill('14:00');
  await form.getByLabel(/Lieu/).fill('Sous-préfecture, salle du conseil');
  await form.getByRole('button', { name: 'Planifier les trois revues' }).click();
  await expect(form.getByText('Le formulaire contient des erreurs')).toBeVisible();
  await expect(form.getByText('Cette date est déjà celle d’une autre revue du cycle.')).toBeVisible();
  await expectAccessible(page, '/revues (cycle en erreur)');

  await form.getByLabel('Date de la troisième revue').fill('2028-10-10');
  await form.getByLabel(/Participants/).fill('agent-epci@demo.test');
  await form.getByRole('button', { name: 'Planifier les trois revues' }).click();

  await expect(form.getByText('3 revues de projet planifiées pour CA de Nîmes Métropole')).toBeVisible();
  const liens = form.locator('.fr-alert--success').getByRole('link');
  await expect(liens).toHaveCount(3);
  await expect(liens.nth(0)).toHaveText(/8 février 2028 à 14:00/);
  await expect(liens.nth(1)).toHaveText(/13 juin 2028 à 14:00/);
  await expect(liens.nth(2)).toHaveText(/10 octobre 2028 à 14:00/);
  // The form is ready for another EPCI, still in cycle mode.
  await expect(form.getByLabel('Date de la première revue')).toHaveValue('');

  // The list above shows the three reviews without reloading the page.
  const table = page.getByRole('table', { name: /Revues de projet/ });
  for (const date of [/8 février 2028 à 14:00/, /13 juin 2028 à 14:00/, /10 octobre 2028 à 14:00/]) {
    await expect(table.getByRole('row').filter({ hasText: date }).filter({ hasText: 'Sous-préfecture, salle du conseil' })).toHaveCount(1);
  }
  await expectAccessible(page, '/revues (cycle planifié)');

  await liens.nth(1).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revue de projet — CA de Nîmes Métropole' })).toBeVisible();
  await expect(page.getByText(/13 juin 2028 à 14:00/)).toBeVisible();
  await expect(page.getByText('agent-epci@demo.test')).toBeVisible();
});
