import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import type { ListResponse, Organisation } from '../api';
import { Loading } from '../components/Loading';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';

export const TYPES_ORGANISATION: Record<string, string> = {
  etat: 'Service de l’État',
  epci: 'EPCI',
  commune: 'Commune',
  bailleur: 'Bailleur social',
  financeur: 'Financeur',
  epf: 'Établissement public foncier',
  autre: 'Autre',
};

export function OrganisationsPage() {
  usePageTitle('Organisations');
  const [organisations] = useApi<ListResponse<Organisation>>('/api/v1/organisations');
  return (
    <>
      <h1>Organisations</h1>
      {organisations.status === 'loading' && <Loading label="Chargement des organisations…" />}
      {organisations.status === 'error' && <Alert severity="error" small description={organisations.message} />}
      {organisations.status === 'ready' && (
        <Table
          caption={`Organisations du département (${organisations.data.count})`}
          headers={['Nom', 'Type', 'SIREN', 'Département']}
          data={organisations.data.results.map((o) => [
            <>
              {o.nom}
              {o.demo && (
                <>
                  {' '}
                  <Badge as="span" small noIcon severity="info">
                    Démo
                  </Badge>
                </>
              )}
            </>,
            TYPES_ORGANISATION[o.type] ?? o.type,
            o.siren ?? '—',
            o.departement ?? '—',
          ])}
        />
      )}
    </>
  );
}
