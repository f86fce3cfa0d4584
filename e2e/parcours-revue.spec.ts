import { NAV, apiCreate, checkNavigation, expect, expectAccessible, signIn, test } from './helpers';

/**
 * The project review, end to end and through the UI only: the landlord declares an operation and
 * a blocker; the State's agent schedules the EPCI's review, finds the operation on the agenda,
 * records a decision, an action and an escalation to the préfet; the EPCI's agent reads them;
 * the commune sees the operation but not the reviews.
 */
test.describe.serial('parcours : de la déclaration d’une opération à la revue de projet', () => {
  const nom = `Résidence Les Micocouliers ${Date.now()}`;
  const action = 'Produire l’étude de sol complémentaire';
  const responsable = 'Habitat Démo Gard';
  const decision = 'Le bailleur relance le montage après le jugement du recours.';
  const arbitrage = 'Le préfet accorde la garantie d’emprunt de l’État sous réserve du jugement.';
  const motif = 'Le recours bloque le permis depuis plus d’un an : arbitrage du préfet sur la garantie d’emprunt.';
  let revuePath = '';

  const menu = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Menu principal' });

  test('le bailleur déclare une opération à Caissargues, puis un blocage', async ({ page }) => {
    await signIn(page, 'bailleur');
    await menu(page).getByRole('link', { name: NAV.operations }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Opérations' })).toBeVisible();
    await expect(page).toHaveTitle('Opérations — Atelier');
    await expectAccessible(page, '/operations (bailleur)');

    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Déclarer une opération' }) });
    // A landlord declares its own operations: no landlord to choose.
    await expect(form.getByLabel('Bailleur', { exact: true })).toHaveCount(0);
    await form.getByRole('button', { name: 'Déclarer l’opération' }).click();
    await expect(form.getByText('Le formulaire contient des erreurs')).toBeVisible();
    await expect(form.getByText('Saisissez le nom de l’opération.')).toBeVisible();
    await expectAccessible(page, '/operations (formulaire en erreur)');

    await form.getByLabel('Nom de l’opération').fill(nom);
    await form.getByLabel('Commune de l’opération').selectOption('30060');
    await form.getByLabel('Type d’opération').selectOption({ label: 'VEFA' });
    await form.getByLabel('Logements PLAI', { exact: true }).fill('4');
    await form.getByLabel('Logements PLUS', { exact: true }).fill('8');
    await form.getByRole('button', { name: 'Déclarer l’opération' }).click();

    await expect(page.getByRole('heading', { level: 1, name: nom })).toBeVisible();
    await expect(page.getByText('L’opération a été déclarée.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Caissargues' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Logements par produit' })).toContainText('12');
    await expect(page.locator('[aria-current="step"]')).toContainText('Projet identifié');
    await expectAccessible(page, '/operations/:id (déclarée)');

    // The stage rules come from the server: a stage whose date is missing is refused, with its reason.
    const etape = page.locator('form', { has: page.getByRole('heading', { name: 'Changer d’étape' }) });
    await etape.getByLabel('Nouvelle étape').selectOption({ label: 'Foncier maîtrisé' });
    await etape.getByRole('button', { name: 'Changer d’étape' }).click();
    await expect(etape.getByText(/renseignez/)).toBeVisible();
    await expectAccessible(page, '/operations/:id (étape refusée)');
    await etape.getByLabel('Date de maîtrise du foncier').fill('2026-03-02');
    await etape.getByRole('button', { name: 'Changer d’étape' }).click();
    await expect(page.getByText('L’opération est passée à l’étape « Foncier maîtrisé ».')).toBeVisible();
    await expect(page.locator('[aria-current="step"]')).toContainText('Foncier maîtrisé');

    const blocage = page.locator('form', { has: page.getByRole('heading', { name: 'Déclarer un blocage' }) });
    await blocage.getByLabel('Type de blocage').selectOption({ label: 'Recours contre le permis' });
    await blocage.getByLabel('Description du blocage').fill('Recours d’un riverain contre le permis de construire.');
    await blocage.getByLabel(/Acteur attendu/).fill('Tribunal administratif de Nîmes');
    await blocage.getByRole('button', { name: 'Déclarer le blocage' }).click();
    await expect(page.getByText('Le blocage « Recours contre le permis » a été déclaré.')).toBeVisible();
    const row = page.getByRole('table', { name: /Blocages/ }).getByRole('row').filter({ hasText: 'Recours contre le permis' });
    await expect(row).toContainText('Tribunal administratif de Nîmes');
    await expect(row).toContainText('Ouvert');
    await expect(page.getByText('En difficulté', { exact: true })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Historique' })).toContainText('Blocage déclaré : Recours contre le permis');
    await expectAccessible(page, '/operations/:id (blocage déclaré)');
  });

  test('l’agent de l’État planifie la revue de l’EPCI et y traite l’opération', async ({ page }) => {
    await signIn(page, 'agent_etat');
    await menu(page).getByRole('link', { name: NAV.revues }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Revues de projet' })).toBeVisible();
    await expect(page).toHaveTitle('Revues de projet — Atelier');
    await expectAccessible(page, '/revues');

    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Planifier une revue' }) });
    await form.getByLabel('EPCI').selectOption({ label: 'CA de Nîmes Métropole' });
    await form.getByLabel('Date', { exact: true }).fill('2027-01-12');
    await form.getByLabel('Heure').fill('09:30');
    await form.getByLabel(/Lieu/).fill('DDTM du Gard, Nîmes');
    await form.getByLabel(/Participants/).fill('agent-epci@demo.test\ncommune@demo.test');
    await form.getByRole('button', { name: 'Planifier la revue' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Revue de projet — CA de Nîmes Métropole' })).toBeVisible();
    await expect(page).toHaveURL(/\/revues\/[0-9a-f-]{36}$/);
    revuePath = new URL(page.url()).pathname;
    await expect(page.getByText('La revue de projet a été planifiée.')).toBeVisible();
    await expect(page.getByText('mardi 12 janvier 2027 à 09:30')).toBeVisible();
    await expect(page.getByText('agent-epci@demo.test')).toBeVisible();

    // The operation in difficulty is on the agenda, with its open blocker.
    const point = page.getByRole('region', { name: new RegExp(nom) });
    await expect(point).toBeVisible();
    await expect(point.getByRole('link', { name: nom })).toHaveAttribute('href', /\/operations\/[0-9a-f-]{36}$/);
    await expect(point).toContainText('Recours contre le permis');
    await expect(point).toContainText('Opération en difficulté');
    await expectAccessible(page, '/revues/:id (planifiée)');

    await point.getByLabel('Situation').fill('Permis attaqué par un riverain ; audience fixée au printemps.');
    await point.getByLabel('Décisions').fill(decision);
    await point.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
    await expect(point.getByText('Le compte rendu a été enregistré.')).toBeVisible();

    await point.getByLabel('Libellé de l’action').fill(action);
    await point.getByLabel('Responsable').fill(responsable);
    await point.getByLabel('Échéance').fill('2027-02-15');
    await point.getByRole('button', { name: 'Ajouter l’action' }).click();
    await expect(point.getByText(`L’action « ${action} » a été ajoutée.`)).toBeVisible();
    const actionRow = point.getByRole('table').getByRole('row').filter({ hasText: action });
    await expect(actionRow).toContainText(responsable);
    await expect(actionRow).toContainText('15 février 2027');
    await expect(actionRow).toContainText('Ouverte');

    await point.getByLabel('Motif de la demande d’arbitrage').fill(motif);
    await point.getByRole('button', { name: 'Soumettre à l’arbitrage du préfet' }).click();
    await expect(point.getByText('Le point a été soumis à l’arbitrage du préfet.')).toBeVisible();
    await expect(point.getByText('Soumis à l’arbitrage du préfet', { exact: true })).toBeVisible();
    await expect(point).toContainText(motif);
    await expect(point.getByRole('heading', { name: 'Consigner l’arbitrage' })).toBeVisible();
    await expectAccessible(page, '/revues/:id (compte rendu, action, arbitrage demandé)');

    // The decision is in the operation's history.
    await point.getByRole('link', { name: nom }).click();
    await expect(page.getByRole('heading', { level: 1, name: nom })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Historique' })).toContainText('Soumis à l’arbitrage du préfet');
    await expect(page.getByRole('region', { name: 'Historique' })).toContainText(`Décision en revue de projet : ${decision}`);
    await expectAccessible(page, '/operations/:id (agent de l’État)');
  });

  test('l’agent de l’EPCI ouvre la revue et y trouve l’action et la demande d’arbitrage', async ({ page }) => {
    expect(revuePath).not.toBe('');
    await signIn(page, 'agent_epci');
    await menu(page).getByRole('link', { name: NAV.revues }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Revues de projet' })).toBeVisible();
    // Reviews are scheduled by the State: the EPCI has no scheduling form.
    await expect(page.getByRole('heading', { name: 'Planifier une revue' })).toHaveCount(0);
    await expectAccessible(page, '/revues (agent d’EPCI)');
    await page.locator(`a[href="${revuePath}"]`).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Revue de projet — CA de Nîmes Métropole' })).toBeVisible();
    const point = page.getByRole('region', { name: new RegExp(nom) });
    await expect(point).toContainText(decision);
    const actionRow = point.getByRole('table').getByRole('row').filter({ hasText: action });
    await expect(actionRow).toContainText(responsable);
    await expect(actionRow).toContainText('15 février 2027');
    await expect(actionRow.getByRole('button', { name: /Clore/ })).toBeVisible();
    await expect(point.getByText('Soumis à l’arbitrage du préfet', { exact: true })).toBeVisible();
    await expect(point).toContainText(motif);
    // Recording and escalating belong to the State.
    await expect(point.getByRole('button', { name: 'Enregistrer le compte rendu' })).toHaveCount(0);
    await expect(point.getByRole('heading', { name: 'Consigner l’arbitrage' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Marquer comme tenue' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Inviter des participants' })).toHaveCount(0);
    await expectAccessible(page, '/revues/:id (agent d’EPCI)');

    // The EPCI follows the actions up: it closes this one.
    await actionRow.getByRole('button', { name: /Clore/ }).click();
    await expect(point.getByText(`L’action « ${action} » a été close.`)).toBeVisible();
    await expect(actionRow).toContainText('Close le');
    await expect(actionRow.getByRole('button', { name: /Rouvrir/ })).toBeVisible();
    await expectAccessible(page, '/revues/:id (action close)');
  });

  test('la commune voit l’opération mais pas les revues de projet', async ({ page, request }) => {
    // A second operation in Caissargues, so that the pagination below does not depend on what
    // other specs have created.
    await apiCreate(request, 'bailleur', '/api/v1/operations', { nom: `Résidence Le Mas des Pins ${Date.now()}`, commune_insee: '30060', type: 'acquisition_amelioration' });
    await signIn(page, 'commune');
    await checkNavigation(page, [NAV.accueil, NAV.carte, NAV.aides, NAV.operations, NAV.foncier, NAV.attributions, NAV.organisations]);
    await menu(page).getByRole('link', { name: NAV.operations }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Opérations' })).toBeVisible();
    const row = page.getByRole('table').getByRole('row').filter({ hasText: nom });
    await expect(row).toContainText('Caissargues');
    await expect(row).toContainText('En difficulté');
    await expectAccessible(page, '/operations (commune)');
    await row.getByRole('link', { name: nom }).click();
    await expect(page.getByRole('heading', { level: 1, name: nom })).toBeVisible();
    await expectAccessible(page, '/operations/:id (commune)');

    // Pages of one operation instead of twenty, so that the commune's operations span several pages.
    await page.route('**/api/v1/operations?*', (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '1');
      return route.continue({ url: url.toString() });
    });
    await page.goto('/operations');
    const pagination = page.getByRole('navigation', { name: 'Pagination' });
    await expect(pagination).toBeVisible();
    const first = await page.getByRole('table').locator('tbody tr').first().textContent();
    await pagination.getByRole('link', { name: '2' }).click();
    await expect(page).toHaveURL(/\/operations\?page=2$/);
    await expect(page.getByRole('table').locator('tbody tr').first()).not.toHaveText(first ?? '');
    await expectAccessible(page, '/operations?page=2');
  });

  test('l’agent de l’État marque la revue comme tenue', async ({ page }) => {
    await signIn(page, 'agent_etat');
    await page.goto(revuePath);
    await expect(page.getByRole('heading', { level: 1, name: 'Revue de projet — CA de Nîmes Métropole' })).toBeVisible();

    // The préfet's ruling on the escalated item, recorded by the State's agent.
    const point = page.getByRole('region', { name: new RegExp(nom) });
    await point.getByLabel('Arbitrage rendu par le préfet').fill(arbitrage);
    await point.getByRole('button', { name: 'Consigner l’arbitrage' }).click();
    await expect(point.getByText('L’arbitrage du préfet a été consigné.')).toBeVisible();
    await expect(point).toContainText('Arbitrage rendu');
    await expect(point).toContainText(arbitrage);
    await expect(point.getByRole('heading', { name: 'Consigner l’arbitrage' })).toHaveCount(0);

    // Agenda refresh, invitations and documents.
    await page.getByRole('button', { name: 'Actualiser l’ordre du jour' }).click();
    await expect(page.getByText(/\d+ opération\(s\) ajoutée\(s\)/)).toBeVisible();
    await page.getByLabel('Adresses électroniques à inviter').fill('bailleur@demo.test');
    await page.getByRole('button', { name: 'Inviter', exact: true }).click();
    await expect(page.getByText('1 participant(s) invité(s).')).toBeVisible();
    await expect(page.getByText(/bailleur@demo\.test/)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Ordre du jour (PDF)' })).toHaveAttribute('href', /\/ordre-du-jour\.pdf$/);
    await expect(page.getByRole('link', { name: 'Compte rendu (DOCX)' })).toHaveAttribute('href', /\/compte-rendu\.docx$/);
    await expectAccessible(page, '/revues/:id (arbitrage consigné)');

    await page.getByRole('button', { name: 'Marquer comme tenue' }).click();
    await expect(page.getByText('La revue est marquée comme tenue.')).toBeVisible();
    await expect(page.getByText('Tenue', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Ajouter une opération' })).toHaveCount(0);
    await expectAccessible(page, '/revues/:id (tenue)');
  });

  test('le bailleur lève le blocage : l’opération n’est plus en difficulté', async ({ page }) => {
    await signIn(page, 'bailleur');
    await page.goto('/operations');
    await page.getByRole('table').getByRole('link', { name: nom }).click();
    await expect(page.getByRole('heading', { level: 1, name: nom })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Historique' })).toContainText('Action décidée');
    const row = page.getByRole('table', { name: /Blocages/ }).getByRole('row').filter({ hasText: 'Recours contre le permis' });
    await row.getByRole('button', { name: /Passer en cours/ }).click();
    await expect(page.getByText('Le blocage « Recours contre le permis » est passé en cours de traitement.')).toBeVisible();
    await expect(row.getByRole('button', { name: /Passer en cours/ })).toHaveCount(0);
    await row.getByRole('button', { name: /Lever/ }).click();
    await expect(page.getByText('Le blocage « Recours contre le permis » a été levé.')).toBeVisible();
    await expect(row).toContainText('Levé');
    await expect(row.getByRole('button', { name: /Lever/ })).toHaveCount(0);
    await expect(page.getByText('En difficulté', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Historique' })).toContainText('Blocage levé : Recours contre le permis');
    await expectAccessible(page, '/operations/:id (blocage levé)');
  });

  test('le bailleur modifie l’opération et consigne une concertation des riverains', async ({ page }) => {
    await signIn(page, 'bailleur');
    await page.goto('/operations');
    await page.getByRole('table').getByRole('link', { name: nom }).click();
    await expect(page.getByRole('heading', { level: 1, name: nom })).toBeVisible();

    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Modifier l’opération' }) });
    await form.getByLabel('Adresse', { exact: true }).fill('12 chemin des Micocouliers, 30132 Caissargues');
    await form.getByLabel('Date de livraison prévue').fill('2029-06-30');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await expect(page.getByText('L’opération a été modifiée.')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Données clés' })).toContainText('12 chemin des Micocouliers, 30132 Caissargues');
    await expect(form.getByLabel('Date de livraison prévue')).toHaveValue('2029-06-30');
    await expectAccessible(page, '/operations/:id (modifiée)');

    const concertation = page.getByRole('region', { name: 'Concertation des riverains' });
    await expect(concertation).toContainText('Aucune concertation enregistrée.');
    await concertation.getByLabel('Modalité').selectOption('reunion_publique');
    await concertation.getByLabel('Riverains rencontrés').fill('23');
    await concertation.getByLabel(/Préoccupations/).fill('Stationnement pendant le chantier.');
    await concertation.getByLabel(/Réponses/).fill('Aire de livraison dédiée, accès chantier par le chemin rural.');
    await concertation.getByRole('button', { name: 'Enregistrer la concertation' }).click();
    await expect(concertation.getByText('La concertation a été enregistrée.')).toBeVisible();
    await expect(concertation.getByTestId('total-riverains')).toHaveText('Total des riverains rencontrés : 23');
    await expect(concertation.getByRole('table')).toContainText('Réunion publique');
    await expect(concertation.getByRole('table')).toContainText('Stationnement pendant le chantier.');
    await expectAccessible(page, '/operations/:id (concertation)');
  });

  test('l’agent de l’État ouvre le rapport annuel au CDHH', async ({ page }) => {
    await signIn(page, 'agent_etat');
    await menu(page).getByRole('link', { name: NAV.cdhh }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Rapport annuel au CDHH' })).toBeVisible();
    await expect(page).toHaveTitle('Rapport CDHH — Atelier');
    await expectAccessible(page, '/rapports/cdhh');
    const annee = String(new Date().getFullYear());
    await page.getByLabel('Année du rapport').selectOption(annee);
    const link = page.getByRole('link', { name: `Rapport ${annee} (HTML)` });
    await expect(link).toHaveAttribute('href', `/api/v1/rapports/cdhh/${annee}.html`);
    await expect(page.getByRole('link', { name: `Rapport ${annee} (PDF)` })).toHaveAttribute('href', `/api/v1/rapports/cdhh/${annee}.pdf`);
    await expect(page.getByRole('link', { name: `Rapport ${annee} (DOCX)` })).toHaveAttribute('href', `/api/v1/rapports/cdhh/${annee}.docx`);
    const response = await page.request.get((await link.getAttribute('href')) ?? '');
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('Rapport annuel au CDHH');
  });
});
