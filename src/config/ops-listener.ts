import type { DiscordSettings } from './sections/discord';
import type { OpsSettings } from './sections/http';
import type { SlackSettings } from './sections/slack';

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

/** The settings {@link opsListener} decides from. */
export interface OpsInputs {
  readonly http: { readonly port: number };
  readonly ops: OpsSettings;
  readonly slack: Pick<SlackSettings, 'botToken' | 'appToken'>;
  readonly discord: Pick<DiscordSettings, 'token'>;
}

/**
 * Decides {@link OpsListener} from the settings. Under DISCORD_SHARDS every shard is a process
 * of its own on the same host: shard N listens on the port plus N (discord.js puts N in SHARDS).
 */
export function opsListener({ http, ops, slack, discord }: OpsInputs): OpsListener {
  const slackHttp = Boolean(slack.botToken && !slack.appToken);
  const shard = ops.shardingManager === 'true' && ops.shard !== undefined ? ops.shard : 0;
  if (ops.healthPort !== undefined) {
    if (slackHttp && ops.healthPort === http.port) return { on: 'slack' };
    return { on: 'own', port: offset(ops.healthPort, shard), variable: 'HEALTH_PORT' };
  }
  if (slackHttp) return { on: 'slack' };
  if (slack.botToken || discord.token) return { on: 'own', port: offset(http.port, shard), variable: 'PORT' };
  return { on: 'none' };
}

/** Port 0 (any free port) stays 0 in every shard. */
const offset = (port: number, shard: number): number => (port === 0 ? 0 : port + shard);
