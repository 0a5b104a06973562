import { Client, GatewayIntentBits, Partials } from 'discord.js';

/**
 * The discord.js client the adapter runs on. Intents: guilds (channels, threads, roles),
 * guild and direct messages, and the privileged Message Content (enable it in the
 * Developer Portal, or guild messages arrive without text unless they mention the bot).
 * `Partials.Channel` lets DMs through from channels discord.js has not cached.
 * Under a ShardingManager, discord.js reads its shard ids from the environment it set.
 */
export function createDiscordClient(options: { apiUrl?: string }): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    // A REST proxy, or a fake in tests; the gateway address then comes from that API's /gateway/bot.
    rest: options.apiUrl ? { api: options.apiUrl } : {},
    // A safety net for anything sent through discord.js helpers (interaction replies): no pings.
    allowedMentions: { parse: [], repliedUser: false },
  });
}
