/**
 * The attributions module's routes (issue 14): CALEOL sittings and the calendar feeds, vacated
 * dwellings, deliveries ahead. One rule for all of them, before any body is validated or read: a
 * body or query naming a person's data is refused (422, French, RGPD) and nothing of it is kept.
 */
import type { FastifyInstance } from 'fastify';
import { champsPersonnels, messageDonneesPersonnelles } from '../../../shared/attributions/donnees-personnelles.js';
import { unprocessable } from '../../lib/errors.js';
import { caleolRoutes } from './caleol.routes.js';
import { logementsLiberesRoutes } from './logements-liberes.routes.js';

export default async function attributionsRoutes(app: FastifyInstance) {
  // After the access check (the root's preValidation runs first): 401/403 still come before this.
  app.addHook('preValidation', async (req) => {
    const champs = [...champsPersonnels(req.body), ...champsPersonnels(req.query)];
    if (champs.length) throw unprocessable(messageDonneesPersonnelles(champs), { champs, regle: 'donnees_personnelles' });
  });
  caleolRoutes(app);
  logementsLiberesRoutes(app);
}
