import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { writeUsedIcons } from './scripts/dsfr-icons';

const webDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(webDir, '..');

/**
 * Copies the DSFR CSS, fonts, icons and favicons from @codegouvfr/react-dsfr into web/public/dsfr
 * before dev or build, so they are served from our own origin (the CSP forbids any CDN).
 * First the library's own `copy-dsfr-to-public` script, run in-process instead of as an npm
 * pre-script (it skips the copy when the files already match the installed DSFR version and writes
 * web/public/dsfr/.gitignore itself); it copies only what `dsfr.min.css` references, so then the
 * icon stylesheet is rewritten with the `fr-icon-*` classes that web/src and shared/ use, and their
 * SVGs are copied (web/scripts/dsfr-icons.ts). index.html points at that stylesheet with a hash of
 * its content, so that a changed set of icons is never hidden by the browser's cache.
 */
function dsfrToPublic(): Plugin {
  let hash = '';
  return {
    name: 'atelier:dsfr-to-public',
    async configResolved() {
      const require = createRequire(import.meta.url);
      const script = require('@codegouvfr/react-dsfr/bin/copy-dsfr-to-public.js') as {
        main: (args: string[]) => Promise<void>;
      };
      // The script gives up when the public folder is missing (a fresh clone has none).
      mkdirSync(resolve(webDir, 'public'), { recursive: true });
      await script.main(['--projectDir', webDir]);
      const dsfrSourceDir = resolve(dirname(require.resolve('@codegouvfr/react-dsfr/bin/copy-dsfr-to-public.js')), '..', 'dsfr');
      ({ hash } = writeUsedIcons({
        dsfrSourceDir,
        dsfrPublicDir: resolve(webDir, 'public', 'dsfr'),
        sourceDirs: [resolve(webDir, 'src'), resolve(repoDir, 'shared')],
      }));
    },
    transformIndexHtml(html) {
      return html.replace(/(\/dsfr\/utility\/icons\/icons\.min\.css)\?[^"]*/, `$1?hash=${hash}`);
    },
  };
}

export default defineConfig({
  root: webDir,
  plugins: [dsfrToPublic(), react()],
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
