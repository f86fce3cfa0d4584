import { Table } from '@codegouvfr/react-dsfr/Table';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link } from 'react-router';
import { CHAMPS_OPERATION as C } from '../../../../shared/operations/champs';
import { PRODUITS, PRODUIT_KEYS } from '../../../../shared/operations/referentiel';
import type { Operation } from '../../api';
import { formatInteger } from '../../format';

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

/** The operation's key facts: where, who, what, at which stage, for how much. */
export function DonneesCles({ operation }: { operation: Operation }) {
  return (
    <dl className="atelier-fiche">
      <dt className={fr.cx('fr-text--bold')}>{C.commune_insee.libelle}</dt>
      <dd>
        <Link to={`/communes/${operation.commune.code_insee}`}>{operation.commune.nom}</Link> ({operation.commune.code_insee})
      </dd>
      <dt className={fr.cx('fr-text--bold')}>{C.epci.libelle}</dt>
      <dd>{operation.epci ? <Link to={`/epci/${operation.epci.siren}`}>{operation.epci.nom}</Link> : 'aucun'}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.bailleur_id.libelle}</dt>
      <dd>{operation.bailleur.nom}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.type.libelle}</dt>
      <dd>{operation.type_libelle}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.etape.libelle}</dt>
      <dd>{operation.etape_libelle}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.numero_siap.libelle}</dt>
      <dd>{operation.numero_siap ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.annee_programmation.libelle}</dt>
      <dd>{operation.annee_programmation ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.adresse.libelle}</dt>
      <dd>{operation.adresse ?? '—'}</dd>
      <dt className={fr.cx('fr-text--bold')}>{C.cout_total.libelle}</dt>
      <dd>{operation.cout_total === null ? '—' : euros.format(operation.cout_total)}</dd>
      {operation.motif_abandon && (
        <>
          <dt className={fr.cx('fr-text--bold')}>{C.motif_abandon.libelle}</dt>
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
      caption={C.logements.libelle}
      headers={['Produit', 'Logements']}
      data={[
        ...PRODUIT_KEYS.map((code) => [PRODUITS[code], formatInteger(operation.logements[code])]),
        [<strong key="t">Total</strong>, <strong key="n">{formatInteger(operation.logements.total)}</strong>],
      ]}
    />
  );
}
