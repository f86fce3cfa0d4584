import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { PRODUITS, PRODUIT_KEYS } from '../../../../shared/operations/referentiel';
import type { Operation } from '../../api';
import { formatInteger } from '../../format';

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

/** The operation's key facts: where, who, what, at which stage, for how much. */
export function DonneesCles({ operation }: { operation: Operation }) {
  return (
    <dl className="atelier-fiche">
      <dt className={fr.cx('fr-text--bold')}>Commune</dt>
      <dd>
        <Link to={`/communes/${operation.commune.code_insee}`}>{operation.commune.nom}</Link> ({operation.commune.code_insee})
      </dd>
      <dt className={fr.cx('fr-text--bold')}>EPCI</dt>
      <dd>{operation.epci ? <Link to={`/epci/${operation.epci.siren}`}>{operation.epci.nom}</Link> : 'aucun'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Bailleur</dt>
      <dd>{operation.bailleur.nom}</dd>
      <dt className={fr.cx('fr-text--bold')}>Type d’opération</dt>
      <dd>{operation.type_libelle}</dd>
      <dt className={fr.cx('fr-text--bold')}>Étape</dt>
      <dd>{operation.etape_libelle}</dd>
      <dt className={fr.cx('fr-text--bold')}>N° SIAP</dt>
      <dd>{operation.numero_siap ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Année de programmation</dt>
      <dd>{operation.annee_programmation ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Adresse</dt>
      <dd>{operation.adresse ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>Prix de revient</dt>
      <dd>{operation.cout_total === null ? '—' : euros.format(operation.cout_total)}</dd>
      {operation.motif_abandon && (
        <>
          <dt className={fr.cx('fr-text--bold')}>Motif d’abandon</dt>
          <dd>{operation.motif_abandon}</dd>
        </>
      )}
    </dl>
  );
}

/** The dwellings by product, and their total. */
export function Logements({ operation }: { operation: Operation }) {
  return (
    <Table
      noCaption
      caption="Logements par produit"
      headers={['Produit', 'Logements']}
      data={[
        ...PRODUIT_KEYS.map((code) => [PRODUITS[code], formatInteger(operation.logements[code])]),
        [<strong key="t">Total</strong>, <strong key="n">{formatInteger(operation.logements.total)}</strong>],
      ]}
    />
  );
}
