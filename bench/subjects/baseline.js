/**
 * The bare baseline: a Bolt app in HTTP mode that acks each app_mention before doing
 * anything and posts one echo reply in its thread. No database, no model: what any Bolt
 * bot costs at least.
 */
require('./bolt-app').startBoltApp();
