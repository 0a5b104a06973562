/**
 * `npm start`: builds dist/ when it is missing or stale (scripts/build.js), then runs the
 * compiled app in this same process. One Node start instead of two: start-up to first ack
 * is a goal of #16, and a second process cost it about 50 ms.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, without tsx.
 */
const { buildIfStale } = require('./build');

const status = buildIfStale();
if (status !== 0) process.exit(status);
require('../dist/src/main').run();
