// `npm run cli -- <command>`: the administration commands (see `npm run cli -- help`).
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

buildIfNeeded({ quiet: true });
await import(pathToFileURL(join(root, 'dist/server/server/cli.js')).href);
