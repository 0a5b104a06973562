import { z } from 'zod';
import { wholeNumber } from '../parsers';
import { setting, type Section, type SectionValue } from '../setting';

/** The HTTP server: Slack's endpoint in HTTP mode, or the health routes with Discord or Socket Mode. */
export const httpSettings = {
  port: setting('PORT', wholeNumber(0, 65535), { default: '3000', doc: "HTTP server's port: Slack HTTP mode, or the health routes with Discord or Socket Mode" }),
  host: setting('HOST', z.string(), { default: '0.0.0.0', doc: "HTTP server's address" }),
} satisfies Section;

/** Where /healthz, /readyz and /metrics are served; the Config holds the result (src/config/ops-listener.ts). */
export const opsSettings = {
  healthPort: setting('HEALTH_PORT', wholeNumber(0, 65535).optional(), {
    doc: 'serve `/healthz`, `/readyz` and `/metrics` on a port of their own (also on the console); unset: on PORT, or nowhere for the console',
  }),
  // discord.js sets these in the shard processes it spawns (DISCORD_SHARDS): shard N listens on the port plus N.
  shardingManager: setting('SHARDING_MANAGER', z.string().optional(), { doc: 'set by discord.js in a shard process', internal: true }),
  shard: setting('SHARDS', wholeNumber(0, 100_000).optional(), { doc: "set by discord.js: a shard process's shard id", internal: true }),
} satisfies Section;

/** What the ops settings read to, before ops-listener.ts decides where the routes go. */
export type OpsSettings = SectionValue<typeof opsSettings>;
