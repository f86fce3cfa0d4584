import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { RequireAccess } from './components/RequireAccess';
import { Layout } from './Layout';
import { AidePage } from './aides/AidePage';
import { AidesPage } from './aides/AidesPage';
import { AlertePage } from './aides/AlertePage';
import { EligibilitePage } from './aides/EligibilitePage';
import { EspaceFinanceurPage } from './aides/EspaceFinanceurPage';
import { ImportAidesPage } from './aides/ImportAidesPage';
import { RevueAidesPage } from './aides/RevueAidesPage';
import { StatistiquesAidesPage } from './aides/StatistiquesAidesPage';
import { VocabulairePage } from './aides/VocabulairePage';
import { CalendrierPage } from './attributions/CalendrierPage';
import { LivraisonsPage } from './attributions/LivraisonsPage';
import { LogementsLiberesPage } from './attributions/LogementsLiberesPage';
import { AccessibilitePage } from './pages/AccessibilitePage';
import { CommunePage } from './pages/CommunePage';
import { ComptePage } from './pages/ComptePage';
import { EpciPage } from './pages/EpciPage';
import { HomePage } from './pages/HomePage';
import { JournalPage } from './pages/JournalPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ImportOperationsPage } from './pages/ImportOperationsPage';
import { OperationPage } from './pages/OperationPage';
import { OperationsPage } from './pages/OperationsPage';
import { OrganisationsPage } from './pages/OrganisationsPage';
import { RapportCdhhPage } from './pages/RapportCdhhPage';
import { RevuePage } from './pages/RevuePage';
import { RevuesPage } from './pages/RevuesPage';
import { UtilisateursPage } from './pages/UtilisateursPage';
import { GisementPage } from './pages/GisementPage';
import { ImportFoncierPage } from './pages/ImportFoncierPage';
import { ObservatoireFoncierPage } from './pages/ObservatoireFoncierPage';

// maplibre-gl weighs about 1 MB: the map page is a chunk of its own, loaded on demand.
const CartePage = lazy(() => import('./pages/CartePage'));
const FoncierPage = lazy(() => import('./pages/FoncierPage'));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <HomePage /> },
      { path: '/connexion', element: <LoginPage /> },
      { path: '/carte', element: <CartePage /> },
      { path: '/communes/:code', element: <CommunePage /> },
      { path: '/epci/:siren', element: <EpciPage /> },
      { path: '/accessibilite', element: <AccessibilitePage /> },
      { path: '/aides', element: <AidesPage /> },
      { path: '/aides/eligibilite', element: <EligibilitePage /> },
      { path: '/aides/alertes/confirmer', element: <AlertePage action="confirmer" /> },
      { path: '/aides/alertes/desabonner', element: <AlertePage action="desabonner" /> },
      {
        path: '/attributions/calendrier',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'attributions:read' }}>
            <CalendrierPage />
          </RequireAccess>
        ),
      },
      {
        path: '/attributions/logements-liberes',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'attributions:read' }}>
            <LogementsLiberesPage />
          </RequireAccess>
        ),
      },
      {
        path: '/attributions/livraisons',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'attributions:read' }}>
            <LivraisonsPage />
          </RequireAccess>
        ),
      },
      {
        path: '/aides/espace',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'aides:write' }}>
            <EspaceFinanceurPage />
          </RequireAccess>
        ),
      },
      {
        path: '/aides/revue',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'aides:review' }}>
            <RevueAidesPage />
          </RequireAccess>
        ),
      },
      {
        path: '/aides/statistiques',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'aides:review' }}>
            <StatistiquesAidesPage />
          </RequireAccess>
        ),
      },
      {
        path: '/aides/vocabulaire',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'aides:review' }}>
            <VocabulairePage />
          </RequireAccess>
        ),
      },
      {
        path: '/aides/import',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'aides:import' }}>
            <ImportAidesPage />
          </RequireAccess>
        ),
      },
      { path: '/aides/:slug', element: <AidePage /> },
      {
        path: '/compte',
        element: (
          <RequireAccess access={{ kind: 'signed-in' }}>
            <ComptePage />
          </RequireAccess>
        ),
      },
      {
        path: '/operations',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'operations:read' }}>
            <OperationsPage />
          </RequireAccess>
        ),
      },
      {
        path: '/operations/import',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'operations:import' }}>
            <ImportOperationsPage />
          </RequireAccess>
        ),
      },
      {
        path: '/operations/:id',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'operations:read' }}>
            <OperationPage />
          </RequireAccess>
        ),
      },
      {
        path: '/revues',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'revues:read' }}>
            <RevuesPage />
          </RequireAccess>
        ),
      },
      {
        path: '/revues/:id',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'revues:read' }}>
            <RevuePage />
          </RequireAccess>
        ),
      },
      {
        path: '/rapports/cdhh',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'rapports:cdhh' }}>
            <RapportCdhhPage />
          </RequireAccess>
        ),
      },
      {
        path: '/organisations',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'organisations:read' }}>
            <OrganisationsPage />
          </RequireAccess>
        ),
      },
      {
        path: '/admin/utilisateurs',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'users:read' }}>
            <UtilisateursPage />
          </RequireAccess>
        ),
      },
      {
        path: '/journal',
        element: (
          <RequireAccess access={{ kind: 'permission', permission: 'audit:read' }}>
            <JournalPage />
          </RequireAccess>
        ),
      },
      { path: '/foncier', element: <RequireAccess access={{ kind: 'permission', permission: 'foncier:read' }}><FoncierPage /></RequireAccess> },
      { path: '/foncier/observatoire', element: <RequireAccess access={{ kind: 'permission', permission: 'foncier:read' }}><ObservatoireFoncierPage /></RequireAccess> },
      { path: '/foncier/import', element: <RequireAccess access={{ kind: 'permission', permission: 'foncier:write' }}><ImportFoncierPage /></RequireAccess> },
      { path: '/foncier/gisements/:id', element: <RequireAccess access={{ kind: 'permission', permission: 'foncier:read' }}><GisementPage /></RequireAccess> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
