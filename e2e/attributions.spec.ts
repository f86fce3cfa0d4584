import { readFileSync } from 'node:fs';
import { apiCreate, expect, expectAccessible, signIn, test, visit } from './helpers';

/**
 * Attributions (issue 14): a landlord publishes a CALEOL sitting and declares a vacated dwelling;
 * the commune (Caissargues, the demo commune) sees both, subscribes its calendar (the feed is
 * downloaded by Chromium and read), and records its attendance at a past sitting. axe on every page.
 */
const jour = (dans: number) => new Date(Date.now() + dans * 86_400_000).toISOString().slice(0, 10);
const marque = Date.now().toString(36);
const COMMISSION_FUTURE = `CALEOL e2e ${marque}`;
const COMMISSION_PASSEE = `CALEOL passée e2e ${marque}`;
const RESIDENCE = `Résidence e2e ${marque}`;

// Journeys of several pages with axe on each: more than the default minute on a loaded machine.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

test('le bailleur publie une séance de CALEOL et déclare un logement libéré', async ({ page, request }) => {
  // A sitting already held (set-up through the API): the commune records its attendance below.
  await apiCreate(request, 'bailleur', '/api/v1/caleol/seances', { debut: `${jour(-2)}T09:30:00+01:00`, communes: ['30060'], commission: COMMISSION_PASSEE });

  await signIn(page, 'bailleur');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Attributions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Calendrier des CALEOL' })).toBeVisible();
  await expect(page).toHaveTitle('Calendrier des CALEOL — Atelier');
  await expectAccessible(page, '/attributions/calendrier (bailleur)');

  const form = page.getByRole('form', { name: 'Publier une séance de CALEOL' });
  await form.getByLabel('Date').fill(jour(30));
  await form.getByLabel('Début').fill('14:00');
  await form.getByLabel('Fin').fill('16:30');
  await form.getByLabel(/^Communes concernées/).fill('30060');
  await form.getByLabel(/^Commission/).fill(COMMISSION_FUTURE);
  await form.getByLabel(/^Lieu/).fill('Siège, Nîmes');
  await form.getByRole('button', { name: 'Publier la séance' }).click();
  await expect(page.getByText('Séance publiée : Caissargues est prévenue par courriel.')).toBeVisible();
  const carte = page.getByRole('listitem').filter({ hasText: COMMISSION_FUTURE });
  await expect(carte).toContainText('14:00 – 16:30');
  await expect(carte.getByRole('button', { name: 'Annuler la séance' })).toBeVisible();
  await expectAccessible(page, '/attributions/calendrier (séance publiée)');

  await visit(page, '/attributions/logements-liberes', 'Logements libérés');
  const lf = page.getByRole('form', { name: 'Déclarer un logement libéré' });
  await lf.getByLabel(/^Commune \(code INSEE\)/).fill('30060');
  await lf.getByLabel('Disponible le').fill(jour(45));
  await lf.getByLabel(/^Résidence/).fill(RESIDENCE);
  await lf.getByLabel('Typologie').selectOption('T4');
  await lf.getByLabel('Surface (m²)').fill('81,5');
  await lf.getByLabel('Loyer mensuel (€)').fill('520');
  await lf.getByRole('button', { name: 'Déclarer le logement' }).click();
  await expect(page.getByText('Logement déclaré à Caissargues : la commune est prévenue par courriel.')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: RESIDENCE })).toContainText('T4 PLUS, 81,5 m²');
  await expectAccessible(page, '/attributions/logements-liberes (déclaré)');
});

test('la commune voit la séance et le logement, s’abonne au calendrier et enregistre sa présence', async ({ page }) => {
  await signIn(page, 'commune');
  await visit(page, '/attributions/calendrier', 'Calendrier des CALEOL');
  await expect(page.getByRole('listitem').filter({ hasText: COMMISSION_FUTURE })).toBeVisible();
  // No publishing form for a commune.
  await expect(page.getByRole('form', { name: 'Publier une séance de CALEOL' })).toHaveCount(0);

  // The subscription: the secret address, and the feed downloaded by the browser.
  await page.getByRole('button', { name: 'Afficher l’adresse de mon calendrier' }).click();
  const adresse = page.getByLabel(/^Adresse de votre calendrier/);
  await expect(adresse).toHaveValue(/\/api\/v1\/calendriers\/[\w-]+\.ics$/);
  await expectAccessible(page, '/attributions/calendrier (adresse)');
  const [telechargement] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le fichier .ics' }).click()]);
  const ics = readFileSync((await telechargement.path())!, 'utf8');
  const deplie = ics.replace(/\r\n /g, '');
  expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(ics).toContain('TZID:Europe/Paris');
  expect(deplie).toContain(`Commission d’attribution (${COMMISSION_FUTURE})`);
  expect(ics).toMatch(/DTSTART;TZID=Europe\/Paris:\d{8}T140000/);
  // The same address answers without any session (a calendar application has none).
  const url = await adresse.inputValue();
  const anonyme = await page.context().browser()!.newContext();
  const res = await anonyme.request.get(url);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/calendar/);
  await anonyme.close();

  // Attendance at the past sitting.
  const passee = page.getByRole('listitem').filter({ hasText: COMMISSION_PASSEE });
  await passee.getByLabel('Qui a représenté la commune ?').selectOption('elu');
  await passee.getByRole('button', { name: 'Enregistrer la présence' }).click();
  await expect(passee.getByText('Présence enregistrée.')).toBeVisible();
  await expect(passee).toContainText('Caissargues — Un élu');
  await expectAccessible(page, '/attributions/calendrier (présence)');

  await visit(page, '/attributions/logements-liberes', 'Logements libérés');
  await expect(page.getByRole('row').filter({ hasText: RESIDENCE })).toContainText('Caissargues');
  await expect(page.getByRole('form', { name: 'Déclarer un logement libéré' })).toHaveCount(0);
  await visit(page, '/attributions/livraisons', 'Livraisons à venir');
});
