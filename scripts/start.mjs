// `npm start`: build what is not built yet, then run the compiled server in this process.
import { buildIfNeeded, root } from './build-if-needed.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

buildIfNeeded();
await import(pathToFileURL(join(root, 'dist/server/server/main.js')).href);
