import { ApplicationCommandType, type APIApplicationCommand } from 'discord.js';
import { checkCommands } from './limits-checks';
import { apiChannel, apiGuild, apiMember, apiRole, apiUser, type JsonObject } from './payloads';
import { DiscordErrors, ok, type RestContext } from './rest-context';
import type { RestRoute } from './rest-server';
import { FakeRoute } from './routes';
import type { FakeDiscordState } from './state';

/** Gateway discovery, the bot's user and application, application commands and guild reads. */
export function appRoutes(ctx: RestContext): RestRoute[] {
  const { state } = ctx;
  const application = () => ({
    id: state.applicationId,
    name: state.bot.username,
    icon: null,
    description: '',
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    bot: apiUser(state.bot),
    owner: apiUser(state.bot),
    team: null,
    summary: '',
  });
  const commandsScope = (guildId?: string) => guildId ?? 'global';
  return [
    {
      method: 'GET',
      route: FakeRoute.gatewayBot,
      handle: () =>
        ok({ url: ctx.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }),
    },
    { method: 'GET', route: FakeRoute.currentUser, handle: () => ok({ ...apiUser(state.bot), bot: true, verified: true, flags: 0 }) },
    {
      method: 'GET',
      route: FakeRoute.user,
      handle: ({ params }) => {
        const user = state.users.get(params.userId ?? '');
        return user ? ok(apiUser(user)) : DiscordErrors.unknownUser();
      },
    },
    { method: 'GET', route: FakeRoute.currentApplication, handle: () => ok(application()) },
    { method: 'GET', route: FakeRoute.oauth2CurrentApplication, handle: () => ok(application()) },
    ...[FakeRoute.globalCommands, FakeRoute.guildCommands].flatMap((route): RestRoute[] => [
      {
        method: 'PUT',
        route,
        handle: ({ params, body }) => {
          if (params.applicationId !== state.applicationId) return DiscordErrors.missingPermissions();
          if (params.guildId && !state.guilds.has(params.guildId)) return DiscordErrors.unknownGuild();
          const invalid = checkCommands(body);
          if (invalid) return invalid;
          const saved = overwriteCommands(state, params.guildId, body as JsonObject[]);
          state.commands.set(commandsScope(params.guildId), saved);
          return ok(saved);
        },
      },
      {
        method: 'GET',
        route,
        handle: ({ params }) => {
          if (params.applicationId !== state.applicationId) return DiscordErrors.missingPermissions();
          return ok(state.commands.get(commandsScope(params.guildId)) ?? []);
        },
      },
    ]),
    {
      method: 'GET',
      route: FakeRoute.guild,
      handle: ({ params }) => (state.guilds.has(params.guildId ?? '') ? ok(apiGuild(state, params.guildId ?? '', false)) : DiscordErrors.unknownGuild()),
    },
    {
      method: 'GET',
      route: FakeRoute.guildChannels,
      handle: ({ params }) => {
        if (!state.guilds.has(params.guildId ?? '')) return DiscordErrors.unknownGuild();
        return ok(state.guildChannels(params.guildId ?? '').map((channel) => apiChannel(state, channel)));
      },
    },
    {
      method: 'GET',
      route: FakeRoute.guildRoles,
      handle: ({ params }) => {
        const guild = state.guilds.get(params.guildId ?? '');
        return guild ? ok([...guild.roles.values()].map(apiRole)) : DiscordErrors.unknownGuild();
      },
    },
    {
      method: 'GET',
      route: FakeRoute.guildMember,
      handle: ({ params }) => {
        const guild = state.guilds.get(params.guildId ?? '');
        if (!guild) return DiscordErrors.unknownGuild();
        if (!guild.members.has(params.userId ?? '')) return DiscordErrors.unknownMember();
        return ok(apiMember(state, guild.id, params.userId ?? ''));
      },
    },
  ];
}

/** Bulk overwrite: a command keeps its id when its name and type stay, as on Discord. */
function overwriteCommands(state: FakeDiscordState, guildId: string | undefined, commands: JsonObject[]): APIApplicationCommand[] {
  const previous = state.commands.get(guildId ?? 'global') ?? [];
  return commands.map((command) => {
    const type = Number(command.type ?? ApplicationCommandType.ChatInput);
    const kept = previous.find((p) => p.name === command.name && p.type === type);
    return {
      ...command,
      id: kept?.id ?? state.ids.next(),
      application_id: state.applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      version: state.ids.next(),
      type,
      name: String(command.name),
      description: String(command.description ?? ''),
      default_member_permissions: (command.default_member_permissions as string | null | undefined) ?? null,
      nsfw: Boolean(command.nsfw),
      options: (command.options ?? []) as APIApplicationCommand['options'],
    } as APIApplicationCommand;
  });
}
