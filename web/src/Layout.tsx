import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header';
import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { fr } from '@codegouvfr/react-dsfr/fr';
import { Suspense, useEffect, useRef } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Loading } from './components/Loading';
import { SECTIONS, isAllowed } from './sections';
import { useSession } from './session';
import { useTerritoire } from './territoire';

const brandTop = (
  <>
    République
    <br />
    Française
  </>
);

const homeLinkProps = { to: '/', title: 'Accueil — Atelier' };

function isActive(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

export function Layout() {
  const { me, can, logout } = useSession();
  const territoire = useTerritoire();
  const location = useLocation();
  const navigate = useNavigate();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // On navigation, move the focus to the main content so that keyboard and screen reader users
  // land on the new page rather than on the link they followed.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  const signedIn = me !== null && me !== undefined;

  const navigation: MainNavigationProps.Item[] = [
    { text: 'Accueil', linkProps: { to: '/' }, isActive: location.pathname === '/' },
    ...SECTIONS.filter((s) => s.inNavigation && isAllowed(s.access, signedIn, can)).map((s) => ({
      text: s.label,
      linkProps: { to: s.path },
      isActive: isActive(location.pathname, s.path) || (s.path === '/carte' && location.pathname.startsWith('/communes')),
    })),
  ];

  const quickAccessItems: HeaderProps.QuickAccessItem[] = signedIn
    ? [
        { iconId: 'fr-icon-account-circle-line', text: 'Mon compte', linkProps: { to: '/compte' } },
        {
          iconId: 'fr-icon-logout-box-r-line',
          text: 'Se déconnecter',
          buttonProps: {
            type: 'button',
            onClick: () => {
              // Leave the page first: a page reserved to signed-in users would otherwise redirect
              // to the sign-in form as soon as the session is gone.
              navigate('/');
              void logout();
            },
          },
        },
      ]
    : me === null
      ? [{ iconId: 'fr-icon-lock-line', text: 'Se connecter', linkProps: { to: '/connexion' } }]
      : [];

  return (
    <>
      <SkipLinks
        links={[
          { label: 'Contenu', anchor: '#contenu' },
          { label: 'Menu', anchor: '#fr-header-main-navigation' },
          { label: 'Pied de page', anchor: '#fr-footer' },
        ]}
      />
      <Header
        brandTop={brandTop}
        homeLinkProps={homeLinkProps}
        serviceTitle="Atelier"
        serviceTagline={territoire.ready ? `Production de logement social — ${territoire.noms}` : 'Production de logement social'}
        navigation={navigation}
        quickAccessItems={quickAccessItems}
      />
      <main id="contenu" ref={mainRef} tabIndex={-1} className="atelier-main">
        <div className={fr.cx('fr-container', 'fr-py-4w')}>
          {me === undefined ? (
            <Loading label="Chargement de votre session…" />
          ) : (
            <Suspense fallback={<Loading label="Chargement de la page…" />}>
              <Outlet />
            </Suspense>
          )}
        </div>
      </main>
      <Footer
        accessibility="non compliant"
        accessibilityLinkProps={{ to: '/accessibilite' }}
        contentDescription={`Atelier est la plateforme partagée des acteurs de la production de logement social ${territoire.du} : services de l’État, EPCI, communes, bailleurs sociaux, financeurs et établissement public foncier.`}
      />
    </>
  );
}
