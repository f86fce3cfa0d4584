import { Button } from '@codegouvfr/react-dsfr/Button';
import { Tile } from '@codegouvfr/react-dsfr/Tile';
import { fr } from '@codegouvfr/react-dsfr/fr';
import type { Me } from '../api';
import { formatScope } from '../format';
import { SECTIONS, isAllowed } from '../sections';
import { useSession } from '../session';
import { useTerritoire } from '../territoire';
import { usePageTitle } from '../usePageTitle';

function AnonymousHome() {
  usePageTitle('Accueil');
  const territoire = useTerritoire();
  return (
    <>
      <h1>Atelier, la plateforme de la production de logement social {territoire.du}</h1>
      <p className={fr.cx('fr-text--lead')}>
        Atelier réunit les acteurs qui produisent le logement social dans le département : services de l’État,
        intercommunalités, communes, bailleurs sociaux, financeurs et établissement public foncier.
      </p>
      <p>
        Chacun y retrouve les données de référence du territoire (communes, EPCI, populations) et les informations
        partagées de son périmètre. Toutes les modifications sont tracées dans un journal d’audit.
      </p>
      <div className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-btns-group--icon-left', 'fr-mt-4w')}>
        <Button linkProps={{ to: '/carte' }} iconId="fr-icon-map-pin-2-line" iconPosition="left">
          Voir la carte des communes
        </Button>
        <Button linkProps={{ to: '/connexion' }} priority="secondary" iconId="fr-icon-lock-line" iconPosition="left">
          Se connecter
        </Button>
      </div>
    </>
  );
}

function SignedInHome({ me, can }: { me: Me; can: (permission: string) => boolean }) {
  usePageTitle('Accueil');
  const sections = SECTIONS.filter((s) => isAllowed(s.access, true, can));
  return (
    <>
      <h1>Bonjour {me.nom}</h1>
      <ul className={fr.cx('fr-raw-list', 'fr-mb-4w')} aria-label="Votre profil">
        <li>
          <strong>Rôle :</strong> {me.role_libelle}
        </li>
        {me.organisation && (
          <li>
            <strong>Organisation :</strong> {me.organisation.nom}
          </li>
        )}
        <li>
          <strong>Périmètre :</strong> {formatScope(me)}
        </li>
      </ul>
      <h2>Vos rubriques</h2>
      <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
        {sections.map((section) => (
          <li key={section.path} className={fr.cx('fr-col-12', 'fr-col-md-6', 'fr-col-lg-4')}>
            <Tile
              title={section.title}
              titleAs="h3"
              desc={section.description}
              linkProps={{ to: section.path }}
              enlargeLinkOrButton
              orientation="horizontal"
            />
          </li>
        ))}
      </ul>
    </>
  );
}

export function HomePage() {
  const { me, can } = useSession();
  return me ? <SignedInHome me={me} can={can} /> : <AnonymousHome />;
}
