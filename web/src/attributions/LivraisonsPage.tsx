import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { useState } from 'react';
import { Link } from 'react-router';
import { RESERVATAIRES, type Reservataire } from '../../../shared/attributions/referentiel';
import { Loading } from '../components/Loading';
import { OutcomeAlert } from '../components/OutcomeAlert';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { jourFr, type Livraisons } from './attributions';

/** Deliveries ahead: the operations of the register to be delivered within the horizon, with their contingents. */
export function LivraisonsPage() {
  usePageTitle('Livraisons à venir');
  const [horizon, setHorizon] = useState('12');
  const [liste] = useApi<Livraisons>(`/api/v1/livraisons?horizon_mois=${horizon}`, { keepPrevious: true });
  return (
    <>
      <h1>Livraisons à venir</h1>
      <p className={fr.cx('fr-text--lead')}>
        Les programmes de votre territoire qui seront livrés prochainement, leurs logements et les contingents de réservation, pour
        préparer les premières attributions. <Link to="/attributions/calendrier">Calendrier des CALEOL</Link>
      </p>
      <Select label="Horizon" nativeSelectProps={{ value: horizon, onChange: (e) => setHorizon(e.target.value) }}>
        {['6', '12', '18', '24'].map((m) => <option key={m} value={m}>{m} mois</option>)}
      </Select>
      {liste.status === 'loading' && <Loading />}
      {liste.status === 'error' && <OutcomeAlert outcome={liste.message} />}
      {liste.status === 'ready' && liste.data.count === 0 && <p>Aucune livraison prévue d’ici le {jourFr(liste.data.jusqu_au)}.</p>}
      {liste.status === 'ready' && liste.data.count > 0 && (
          <Table
            caption={`Livraisons prévues d’ici le ${jourFr(liste.data.jusqu_au)}`}
            headers={['Livraison prévue', 'Opération', 'Commune', 'Bailleur', 'Logements', 'Contingents']}
            data={liste.data.results.map((o) => [
              jourFr(o.date_livraison_prevue),
              <Link key={o.operation_id} to={`/operations/${o.operation_id}`}>{o.nom}</Link>,
              o.commune.nom,
              o.bailleur.nom,
              `${o.logements.total} (PLAI ${o.logements.plai + o.logements.plai_adapte}, PLUS ${o.logements.plus}, PLS ${o.logements.pls})`,
              o.contingents.length ? o.contingents.map((c) => `${RESERVATAIRES[c.reservataire as Reservataire] ?? c.reservataire} : ${c.logements}`).join(' ; ') : 'Non renseignés',
            ])}
          />
      )}
    </>
  );
}
