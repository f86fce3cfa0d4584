import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Link, RouterProvider } from 'react-router';
import { z } from 'zod';
import fr from 'zod/v4/locales/fr.js';
import { router } from './router';
import { SessionProvider } from './session';
import { createQueryClient } from './useApi';
import './atelier.css';

startReactDsfr({ defaultColorScheme: 'system', Link });

// Forms validate with the API's own schemas (shared/): their default messages in French.
z.config(fr());

// DSFR components render our router's <Link> (typed `to` instead of `href`).
declare module '@codegouvfr/react-dsfr/spa' {
  interface RegisterLink {
    Link: typeof Link;
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('Élément #root introuvable dans index.html');

const queryClient = createQueryClient();

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
