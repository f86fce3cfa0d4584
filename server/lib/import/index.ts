/** The shared pieces of every import: readers, the one error type, the runner, the HTTP answer. */
export * from './erreur.js';
export * from './http.js';
export * from './lecture.js';
export * from './runner.js';
export * from './valeurs.js';
