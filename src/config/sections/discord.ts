import { z } from 'zod';
import { ConfigError } from '../../core/errors';
import { optionalSecret, optionalUrl } from '../parsers';
import { setting, type Section, type SectionValue } from '../setting';

/** `auto` or a number of shards. */
const shardCount = z
  .string()
  .regex(/^(auto|\d+)$/, { error: "expected 'auto' or a number of shards" })
  .transform((v): number | 'auto' => (v === 'auto' ? v : Number(v)))
  .optional();

/** Discord (docs/discord.md): the bot, where its commands are registered, the REST base, sharding. */
export const discordSettings = {
  token: setting('DISCORD_TOKEN', optionalSecret, { doc: 'bot token; setting it (with DISCORD_APP_ID) enables Discord' }),
  appId: setting('DISCORD_APP_ID', z.string().regex(/^\d+$/, { error: 'expected a numeric application id' }).optional(), { doc: 'application id (numeric)' }),
  guildId: setting('DISCORD_GUILD_ID', z.string().regex(/^\d+$/, { error: 'expected a numeric guild id' }).optional(), {
    doc: 'register slash commands in this guild only (instant updates while developing); unset = global',
  }),
  apiUrl: setting('DISCORD_API_URL', optionalUrl, { doc: 'REST base override (a REST proxy, tests); unset is Discord' }),
  shards: setting('DISCORD_SHARDS', shardCount, {
    doc: "run sharded with discord.js's ShardingManager: a number of shards or `auto`; needs DATABASE_URL",
  }),
} satisfies Section;

/** What the Discord settings read to. */
export type DiscordSettings = SectionValue<typeof discordSettings>;

/** Discord's part of the Config: present when DISCORD_TOKEN is set. */
export type DiscordConfig = Omit<DiscordSettings, 'token' | 'appId'> & { readonly token: string; readonly appId: string };

/**
 * The Discord config, or undefined without a token.
 * @throws ConfigError naming the variable: a token without an app id, zero shards, or shards without a shared DATABASE_URL.
 */
export function discordConfig(s: DiscordSettings, databaseUrl: string | undefined): DiscordConfig | undefined {
  const { token, appId, shards } = s;
  if (!token) return undefined;
  if (!appId) throw new ConfigError('missing_variable', 'DISCORD_APP_ID: required when DISCORD_TOKEN is set');
  if (shards === 0) throw new ConfigError('invalid_variable', "DISCORD_SHARDS: expected 'auto' or at least 1", { variable: 'DISCORD_SHARDS' });
  // Each shard is its own process; the embedded Postgres serves one.
  if (shards !== undefined && !databaseUrl) throw new ConfigError('missing_variable', 'DATABASE_URL: required when DISCORD_SHARDS is set (every shard process shares it)');
  return { ...s, token, appId };
}
