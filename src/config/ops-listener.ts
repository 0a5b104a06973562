import type { Env } from './env-schema';

/**
 * Where `/healthz`, `/readyz` and `/metrics` are served:
 * - `slack`: on Slack's own HTTP server (Slack HTTP mode, HEALTH_PORT unset or equal to PORT);
 * - `own`: on a small server of their own, on HEALTH_PORT when set, otherwise on PORT (Discord
 *   or Socket Mode, which open no HTTP server);
 * - `none`: console only and HEALTH_PORT unset.
 */
export type OpsListener =
  | { readonly on: 'slack' }
  | { readonly on: 'own'; readonly port: number; readonly variable: 'PORT' | 'HEALTH_PORT' }
  | { readonly on: 'none' };

/**
 * Decides {@link OpsListener} from the environment. Under DISCORD_SHARDS every shard is a process
 * of its own on the same host: shard N listens on the port plus N (discord.js puts N in SHARDS).
 */
export function opsListener(e: Env): OpsListener {
  const slackHttp = Boolean(e.SLACK_BOT_TOKEN && !e.SLACK_APP_TOKEN);
  const shard = e.SHARDING_MANAGER === 'true' && e.SHARDS !== undefined ? e.SHARDS : 0;
  if (e.HEALTH_PORT !== undefined) {
    if (slackHttp && e.HEALTH_PORT === e.PORT) return { on: 'slack' };
    return { on: 'own', port: offset(e.HEALTH_PORT, shard), variable: 'HEALTH_PORT' };
  }
  if (slackHttp) return { on: 'slack' };
  if (e.SLACK_BOT_TOKEN || e.DISCORD_TOKEN) return { on: 'own', port: offset(e.PORT, shard), variable: 'PORT' };
  return { on: 'none' };
}

/** Port 0 (any free port) stays 0 in every shard. */
const offset = (port: number, shard: number): number => (port === 0 ? 0 : port + shard);
