/**
 * The MikroORM CLI's configuration (`npm run migration:create`): the app's own ORM options,
 * on the database DATABASE_URL names. A CLI entry point, so it reads the environment, through
 * the same zod schema as the app.
 */
import { loadConfig } from './src/config/config';
import { ConfigError } from './src/core/errors';
import { ormOptions } from './src/db/orm-options';

const { url } = loadConfig(process.env).database;
if (!url) throw new ConfigError('missing_variable', 'DATABASE_URL: the MikroORM CLI needs a database to compare the entities with');

export default ormOptions({ clientUrl: url });
