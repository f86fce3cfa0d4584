import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import type { Commune } from '../api';
import { formatInteger } from '../format';
import { useApi } from '../useApi';
import { Loading } from './Loading';

const EPCI_TYPES: Record<string, string> = {
  CA: 'Communauté d’agglomération',
  CC: 'Communauté de communes',
  CU: 'Communauté urbaine',
  METRO: 'Métropole',
  MET69: 'Métropole de Lyon',
};

export function libelleTypeEpci(type: string | undefined): string | undefined {
  return type ? (EPCI_TYPES[type] ?? type) : undefined;
}

/** The facts of one commune, as a description list. */
export function CommuneFacts({ commune }: { commune: Commune }) {
  return (
    <dl className="atelier-fiche">
      <dt className={fr.cx('fr-text--bold')}>Code INSEE</dt>
      <dd>{commune.code_insee}</dd>
      <dt className={fr.cx('fr-text--bold')}>Population</dt>
      <dd>{commune.population === null ? 'non connue' : `${formatInteger(commune.population)} habitants`}</dd>
      {commune.codes_postaux.length > 0 && (
        <>
          <dt className={fr.cx('fr-text--bold')}>{commune.codes_postaux.length > 1 ? 'Codes postaux' : 'Code postal'}</dt>
          <dd>{commune.codes_postaux.join(', ')}</dd>
        </>
      )}
      <dt className={fr.cx('fr-text--bold')}>EPCI</dt>
      <dd>
        {commune.epci ? (
          <>
            <Link to={`/epci/${commune.epci.siren}`}>{commune.epci.nom}</Link>
            {commune.epci.type && <> ({libelleTypeEpci(commune.epci.type)})</>}
            <br />
            <span className={fr.cx('fr-text--sm')}>SIREN {commune.epci.siren}</span>
          </>
        ) : (
          'aucun'
        )}
      </dd>
    </dl>
  );
}

/**
 * The "fiche commune" shown beside the map. `headingLevel` keeps the page outline right;
 * the panel is a live region so that opening a sheet from the map is announced.
 */
export function FicheCommune({ code, onClose }: { code: string; onClose?: () => void }) {
  const [state] = useApi<Commune>(`/api/v1/communes/${encodeURIComponent(code)}`);
  if (state.status === 'loading') return <Loading label="Chargement de la fiche…" />;
  if (state.status === 'error')
    return <Alert severity="error" small description={state.message} />;
  const commune = state.data;
  return (
    <article aria-labelledby="fiche-commune-titre">
      <h2 id="fiche-commune-titre" className={fr.cx('fr-h4')}>
        {commune.nom}
      </h2>
      <CommuneFacts commune={commune} />
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--sm', 'fr-btns-group--inline')}>
        <li>
          <Link className={fr.cx('fr-btn', 'fr-btn--secondary')} to={`/communes/${commune.code_insee}`}>
            Ouvrir la fiche de {commune.nom}
          </Link>
        </li>
        {onClose && (
          <li>
            <button type="button" className={fr.cx('fr-btn', 'fr-btn--tertiary')} onClick={onClose}>
              Fermer la fiche
            </button>
          </li>
        )}
      </ul>
    </article>
  );
}
