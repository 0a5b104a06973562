import { Routes, type APIApplicationCommand, type REST } from 'discord.js';
import { discordCall } from './platform-errors';
import { slashCommandDefinitions } from './slash-commands';

/** Where slash commands go: one guild (instant, for development) or every guild (global). */
export interface CommandScope {
  readonly appId: string;
  /** Unset: global commands. */
  readonly guildId?: string;
}

/**
 * Registers the slash commands with one bulk overwrite (PUT): idempotent, so it runs on
 * every start, and commands keep their ids while their names stay. Needs only a REST
 * client with the bot token, e.g. `new REST({ api }).setToken(token)` or `client.rest`.
 */
export async function registerSlashCommands(rest: REST, scope: CommandScope): Promise<APIApplicationCommand[]> {
  const route = scope.guildId ? Routes.applicationGuildCommands(scope.appId, scope.guildId) : Routes.applicationCommands(scope.appId);
  return discordCall('register slash commands', async () => (await rest.put(route, { body: slashCommandDefinitions() })) as APIApplicationCommand[], {
    guildId: scope.guildId ?? 'global',
  });
}
