import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { PRESENCES, type Presence } from '../../../shared/attributions/referentiel';
import { api } from '../api';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useApi } from '../useApi';
import { useSubmission } from '../useSubmission';
import { INVALIDE_SEANCES, horaire, type Seance, type Seances } from './attributions';

/** The commune records who attended a past sitting. */
function PresenceForm({ seance }: { seance: Seance }) {
  const [presence, setPresence] = useState<Presence | ''>((seance.presences[0]?.presence as Presence | undefined) ?? '');
  const { outcome, busy, submit } = useSubmission(null, { invalidates: INVALIDE_SEANCES });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (presence) void submit(async () => {
          await api.put(`/api/v1/caleol/seances/${seance.id}/presence`, { presence });
          return 'Présence enregistrée.';
        });
      }}
    >
      <OutcomeAlert live="polite" outcome={outcome} spacing="fr-mb-2w" />
      <Select label="Qui a représenté la commune ?" nativeSelectProps={{ value: presence, onChange: (e) => setPresence(e.target.value as Presence) }}>
        <option value="">— Choisir —</option>
        {Object.entries(PRESENCES).map(([k, v]) => (
          <option key={k} value={k}>{v}</option>
        ))}
      </Select>
      <Button type="submit" size="small" priority="secondary" disabled={busy || !presence}>
        Enregistrer la présence
      </Button>
    </form>
  );
}

function AnnulerSeance({ seance }: { seance: Seance }) {
  const { outcome, busy, submit } = useSubmission(null, { invalidates: INVALIDE_SEANCES });
  return (
    <>
      <OutcomeAlert live="polite" outcome={outcome} spacing="fr-mb-2w" />
      <Button
        size="small"
        priority="tertiary"
        iconId="fr-icon-close-circle-line"
        disabled={busy}
        onClick={() => void submit(async () => {
          await api.delete(`/api/v1/caleol/seances/${seance.id}`);
          return 'Séance annulée : les communes sont prévenues.';
        })}
      >
        Annuler la séance
      </Button>
    </>
  );
}

/** The sittings of the caller's scope, cancelled ones included (marked). */
export function ListeSeances() {
  const [seances] = useApi<Seances>('/api/v1/caleol/seances');
  if (seances.status === 'loading') return <Loading />;
  if (seances.status === 'error') return <OutcomeAlert outcome={seances.message} />;
  const maintenant = Date.now();
  return (
    <section aria-labelledby="seances-titre">
      <h2 id="seances-titre">Séances de CALEOL ({seances.data.count})</h2>
      {seances.data.count === 0 && <p>Aucune séance publiée pour votre territoire.</p>}
      <ul className={fr.cx('fr-raw-list')}>
        {seances.data.results.map((s) => (
          <li key={s.id} className={fr.cx('fr-card', 'fr-p-3w', 'fr-mb-2w')}>
            <h3 className={fr.cx('fr-h6', 'fr-mb-1w')}>
              {horaire(String(s.debut), String(s.fin))}{' '}
              {s.statut === 'annulee' ? <Badge severity="error" small>Annulée</Badge> : s.sequence > 0 ? <Badge severity="warning" small>Modifiée</Badge> : null}
            </h3>
            <p className={fr.cx('fr-mb-1w')}>
              {s.bailleur.nom} — {s.commission} — {s.communes.map((c) => c.nom).join(', ')}
            </p>
            {s.lieu && <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>Lieu : {s.lieu}</p>}
            {s.lien_visio && <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>Visioconférence : <a href={s.lien_visio}>{s.lien_visio}</a></p>}
            {s.ordre_du_jour && <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>Ordre du jour : {s.ordre_du_jour}</p>}
            {s.motif_annulation && <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>Motif de l’annulation : {s.motif_annulation}</p>}
            {s.presences.length > 0 && (
              <p className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
                Présence : {s.presences.map((p) => `${s.communes.find((c) => c.code_insee === p.commune)?.nom ?? p.commune} — ${PRESENCES[p.presence as Presence] ?? p.presence}`).join(' ; ')}
              </p>
            )}
            {s.policies.modifier && <AnnulerSeance seance={s} />}
            {s.policies.presence && new Date(String(s.debut)).getTime() <= maintenant && <PresenceForm seance={s} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
