import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { ListeCorrespondances } from '../../aides/Correspondances';
import type { CorrespondancesOperation } from '../../aides/types';
import type { Operation } from '../../api';
import { Loading } from '../../components/Loading';
import { useSession } from '../../session';
import { useApi } from '../../useApi';

/** The gisement(s) the operation stands on (land observatory) and the aids it is eligible for. */
export function FoncierEtAides({ operation }: { operation: Operation }) {
  const { can } = useSession();
  const [aides] = useApi<CorrespondancesOperation>(`/api/v1/operations/${operation.id}/aides`);
  const gisements = operation.gisements ?? [];
  return (
    <>
      <h3 className={fr.cx('fr-h6')}>Gisement foncier</h3>
      {gisements.length === 0 ? (
        <p>Aucun gisement foncier de l’observatoire n’est rattaché à cette opération{can('foncier:read') ? ' (ou vous ne pouvez pas le consulter)' : ''}.</p>
      ) : (
        <ul>
          {gisements.map((g) => (
            <li key={g.id}>
              {can('foncier:read') ? <Link to={`/foncier/gisements/${g.id}`}>{g.nom}</Link> : g.nom} — {g.statut_libelle}
            </li>
          ))}
        </ul>
      )}
      {aides.status === 'loading' && <Loading label="Recherche des aides mobilisables…" />}
      {aides.status === 'error' && <Alert severity="error" small description={aides.message} />}
      {aides.status === 'ready' && (
        <>
          <ListeCorrespondances titre="Aides mobilisables" items={aides.data.eligibles} niveau={3} />
          {aides.data.partielles.length > 0 && (
            <p>
              {aides.data.partielles.length} autre(s) aide(s) partiellement adaptée(s) : voir <Link to="/aides/eligibilite">les aides d’un projet</Link>.
            </p>
          )}
        </>
      )}
    </>
  );
}
