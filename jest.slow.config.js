/** `npm run test:slow`: the suites `npm test` leaves out (`*.slow.test.ts`, see jest.config.js), with the same setup. */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/*.slow.test.ts'], testPathIgnorePatterns: ['/node_modules/'] };
