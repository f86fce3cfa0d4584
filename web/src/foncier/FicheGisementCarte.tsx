import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { CHAMPS_GISEMENT as C } from '../../../shared/foncier/champs';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { Loading } from '../components/Loading';
import { formatInteger } from '../format';
import { useApi } from '../useApi';
import type { Gisement } from './types';

/** The short sheet of the gisement selected on the map. */
export function FicheGisementCarte({ id, onClose, onRedessiner }: { id: string; onClose: () => void; onRedessiner: (g: Gisement) => void }) {
  const [g] = useApi<Gisement>(`/api/v1/foncier/gisements/${id}`);
  if (g.status === 'loading') return <Loading label="Chargement du gisement…" />;
  if (g.status === 'error') return <Alert severity="error" small description={g.message} />;
  const x = g.data;
  return (
    <article className={fr.cx('fr-card', 'fr-p-3w')} aria-labelledby="fiche-gisement-titre">
      <h2 id="fiche-gisement-titre" className={fr.cx('fr-h5')}>
        {x.nom}
      </h2>
      {x.demo && <p className={fr.cx('fr-badge', 'fr-badge--warning', 'fr-badge--sm')}>Donnée de démonstration</p>}
      <dl className="atelier-dl">
        <dt>{C.commune.libelle}</dt>
        <dd>
          {x.commune.nom} ({x.commune.code_insee})
        </dd>
        <dt>{C.statut.libelle}</dt>
        <dd>{x.statut_libelle}</dd>
        <dt>{C.surface_m2.libelle}</dt>
        <dd>{formatInteger(x.surface_m2)} {C.surface_m2.unite}</dd>
        <dt>{C.capacite_logements.libelle}</dt>
        <dd>
          {formatInteger(x.capacite_logements)} logements, dont {formatInteger(x.capacite_lls)} sociaux
        </dd>
        <dt>{C.outils.libelle}</dt>
        <dd>{x.outils_libelles.join(', ') || '—'}</dd>
      </dl>
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm')}>
        <li>
          <Link className={fr.cx('fr-btn', 'fr-btn--sm')} to={`/foncier/gisements/${x.id}`}>
            Ouvrir la fiche du gisement
          </Link>
        </li>
        {x.policies.modifier && (
          <li>
            <Button size="small" priority="secondary" onClick={() => onRedessiner(x)}>
              Redessiner le contour
            </Button>
          </li>
        )}
        <li>
          <Button size="small" priority="tertiary" onClick={onClose}>
            Fermer
          </Button>
        </li>
      </ul>
    </article>
  );
}
