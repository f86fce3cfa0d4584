import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { AbonnementCalendrier } from './AbonnementCalendrier';
import { ListeSeances } from './ListeSeances';
import { SeanceForm } from './SeanceForm';

/** The CALEOL calendars (seed 000, solution 11): landlords publish, communes subscribe and record attendance. */
export function CalendrierPage() {
  usePageTitle('Calendrier des CALEOL');
  const { can } = useSession();
  return (
    <>
      <h1>Calendrier des CALEOL</h1>
      <p className={fr.cx('fr-text--lead')}>
        Les séances des commissions d’attribution des bailleurs (CALEOL) qui concernent votre territoire, pour que les communes
        et leurs référents puissent y participer. <Link to="/attributions/logements-liberes">Logements libérés</Link> ·{' '}
        <Link to="/attributions/livraisons">Livraisons à venir</Link>
      </p>
      <AbonnementCalendrier />
      {can('attributions:declare') && <SeanceForm />}
      <ListeSeances />
    </>
  );
}
