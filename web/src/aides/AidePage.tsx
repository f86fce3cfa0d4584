import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Link, useParams } from 'react-router';
import { Loading } from '../components/Loading';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { CHAMPS_AIDE as C } from '../../../shared/aides/champs';
import { audienceLibelle, STATUTS, type Aide } from './types';

/** An aid's sheet: public when published (or expired), else for its financer and the DDTM. */
export function AidePage() {
  const { slug } = useParams();
  const [aide] = useApi<Aide>(`/api/v1/aides/${slug}`);
  usePageTitle(aide.status === 'ready' ? aide.data.name : 'Aide');
  if (aide.status === 'loading') return <Loading label="Chargement de l’aide…" />;
  if (aide.status === 'error') return <Alert severity="error" title="Aide introuvable" description={aide.message} />;
  const a = aide.data;
  const statut = STATUTS[a.statut];
  const ligne = (label: string, value: string | null | undefined) =>
    value ? (
      <>
        <dt className={fr.cx('fr-text--bold')}>{label}</dt>
        <dd className={fr.cx('fr-mb-2w')}>{value}</dd>
      </>
    ) : null;
  return (
    <article>
      <p>
        <Link to="/aides">← Rechercher une aide</Link>
      </p>
      <h1>{a.name}</h1>
      {statut && a.statut !== 'publiee' && (
        <Badge severity={statut.severity} className={fr.cx('fr-mb-2w')}>
          {statut.libelle}
        </Badge>
      )}
      <p className={fr.cx('fr-text--lead')}>{a.description}</p>
      <dl>
        {ligne(C.financers.libelle, a.financers.join(', '))}
        {ligne(C.instructors.libelle, a.instructors.join(', '))}
        {ligne(C.aid_types.libelle, a.aid_types.join(', '))}
        {ligne(C.targeted_audiences.libelle, a.targeted_audiences.map(audienceLibelle).join(', '))}
        {ligne(C.perimeter.libelle, a.perimeter.name)}
        {ligne(C.eligibility.libelle, a.eligibility)}
        {a.logement_social && ligne(C['logement_social.operation_types'].libelle, a.logement_social.operation_types.join(', '))}
        {a.logement_social && ligne(C['logement_social.produits'].libelle, a.logement_social.produits.join(', '))}
        {ligne(C.mobilization_steps.libelle, a.mobilization_steps.join(', '))}
        {ligne(C.recurrence.libelle, a.recurrence)}
        {ligne(C.submission_deadline.libelle, a.submission_deadline ? new Date(a.submission_deadline).toLocaleDateString('fr-FR') : 'aucune (permanente ou non précisée)')}
        {a.subvention_rate_upper_bound != null && ligne('Taux de subvention', `${a.subvention_rate_lower_bound != null ? `${a.subvention_rate_lower_bound} à ` : 'jusqu’à '}${a.subvention_rate_upper_bound} %`)}
        {ligne(C.categories.libelle, a.categories.join(', '))}
      </dl>
      {a.aides_territoires && (
        <p>
          <a href={a.aides_territoires.url} target="_blank" rel="noopener noreferrer" title="Fiche de l’aide sur aides-territoires — nouvelle fenêtre">
            Voir cette aide sur aides-territoires
          </a>
        </p>
      )}
      {a.origin_url && (
        <p>
          <a href={a.origin_url} target="_blank" rel="noopener noreferrer" title={`Page d’origine de l’aide — nouvelle fenêtre`}>
            Page d’origine de l’aide
          </a>
        </p>
      )}
      {a.confidence && a.confidence !== 'high' && (
        <Alert severity="info" small description="Fiche du catalogue initial dont certains éléments restent à vérifier à la source avant tout usage financier." />
      )}
    </article>
  );
}
