/**
 * `npm start`: builds dist/ when it is missing or stale (scripts/build.js), then runs the
 * bundled app (dist/src/bundle/main.js) in this same process. One Node start instead of two: start-up to first ack
 * is a goal of #16, and a second process cost it about 50 ms.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, without tsx.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { buildIfStale, BUNDLE } = require('./build');

const status = buildIfStale();
if (status !== 0) process.exit(status);
// The bundle when the build made one (esbuild installed), else the compiled modules.
const bundle = join(__dirname, '..', 'dist', BUNDLE);
require(existsSync(bundle) ? bundle : '../dist/src/main').run();
