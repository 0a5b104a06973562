/**
 * The route templates the fake serves, relative to /api/v10. Recorded calls carry these
 * in `route`, so tests match on them instead of repeating literals.
 */
export const FakeRoute = {
  gatewayBot: '/gateway/bot',
  currentUser: '/users/@me',
  user: '/users/:userId',
  dmChannels: '/users/@me/channels',
  currentApplication: '/applications/@me',
  oauth2CurrentApplication: '/oauth2/applications/@me',
  channel: '/channels/:channelId',
  channelMessages: '/channels/:channelId/messages',
  channelMessage: '/channels/:channelId/messages/:messageId',
  typing: '/channels/:channelId/typing',
  ownReaction: '/channels/:channelId/messages/:messageId/reactions/:emoji/@me',
  threadFromMessage: '/channels/:channelId/messages/:messageId/threads',
  interactionCallback: '/interactions/:interactionId/:token/callback',
  webhook: '/webhooks/:applicationId/:token',
  originalResponse: '/webhooks/:applicationId/:token/messages/@original',
  webhookMessage: '/webhooks/:applicationId/:token/messages/:messageId',
  globalCommands: '/applications/:applicationId/commands',
  guildCommands: '/applications/:applicationId/guilds/:guildId/commands',
  guild: '/guilds/:guildId',
  guildChannels: '/guilds/:guildId/channels',
  guildRoles: '/guilds/:guildId/roles',
  guildMember: '/guilds/:guildId/members/:userId',
} as const;

export type FakeRouteTemplate = (typeof FakeRoute)[keyof typeof FakeRoute];

/** Matches a decoded path against a template; returns the parameters or null. Literal segments win over parameters by route order. */
export function matchTemplate(template: string, path: string): Record<string, string> | null {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const expected = want[i] ?? '';
    const actual = got[i] ?? '';
    if (expected.startsWith(':')) {
      if (actual === '') return null;
      params[expected.slice(1)] = actual;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}
