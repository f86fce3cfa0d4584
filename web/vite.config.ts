import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(webDir, '..');

/**
 * Copies the DSFR CSS, fonts, icons and favicons from @codegouvfr/react-dsfr into web/public/dsfr
 * before dev or build, so they are served from our own origin (the CSP forbids any CDN).
 * This is the library's own `copy-dsfr-to-public` script, run in-process instead of as an
 * npm pre-script; it skips the copy when the files already match the installed DSFR version
 * and writes web/public/dsfr/.gitignore itself.
 */
function copyDsfrToPublic(): Plugin {
  return {
    name: 'atelier:copy-dsfr-to-public',
    async configResolved() {
      const require = createRequire(import.meta.url);
      const script = require('@codegouvfr/react-dsfr/bin/copy-dsfr-to-public.js') as {
        main: (args: string[]) => Promise<void>;
      };
      // The script gives up when the public folder is missing (a fresh clone has none).
      mkdirSync(resolve(webDir, 'public'), { recursive: true });
      await script.main(['--projectDir', webDir]);
    },
  };
}

export default defineConfig({
  root: webDir,
  plugins: [copyDsfrToPublic(), react()],
  build: {
    outDir: resolve(repoDir, 'dist/web'),
    emptyOutDir: true,
    // The map (maplibre-gl, ~1 MB) is a lazy chunk of its own; the main bundle stays small.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/healthz': 'http://localhost:3000',
    },
  },
});
