import { GatewayDispatchEvents, PermissionFlagsBits } from 'discord.js';
import { checkMessageBody } from './limits-checks';
import { createBotMessage, deleteMessage, editMessage } from './messages';
import { apiChannel } from './payloads';
import { bodyObject, botCan, checkCanSend, DiscordErrors, messageIn, noContent, ok, type RestContext } from './rest-context';
import type { RestRoute } from './rest-server';
import { FakeRoute } from './routes';

/** Channels, channel messages, typing, reactions, threads and DM channels. */
export function channelRoutes(ctx: RestContext): RestRoute[] {
  const { state } = ctx;
  return [
    {
      method: 'GET',
      route: FakeRoute.channel,
      handle: ({ params }) => {
        const channel = state.channels.get(params.channelId ?? '');
        return channel ? ok(apiChannel(state, channel)) : DiscordErrors.unknownChannel();
      },
    },
    {
      method: 'POST',
      route: FakeRoute.channelMessages,
      handle: ({ params, body, files }) => {
        const channel = state.channels.get(params.channelId ?? '');
        if (!channel) return DiscordErrors.unknownChannel();
        const invalid = checkMessageBody(body, true, files.length) ?? checkCanSend(ctx, channel);
        if (invalid) return invalid;
        const reference = bodyObject(bodyObject(body).message_reference);
        if (reference.message_id && !state.messages.has(String(reference.message_id)) && reference.fail_if_not_exists !== false) {
          return {
            status: 400,
            body: {
              code: 50035,
              message: 'Invalid Form Body',
              errors: { message_reference: { _errors: [{ code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }] } },
            },
          };
        }
        return ok(createBotMessage(ctx, { channelId: channel.id, body: bodyObject(body), files }));
      },
    },
    {
      method: 'GET',
      route: FakeRoute.channelMessages,
      handle: ({ params, query }) => {
        if (!state.channels.has(params.channelId ?? '')) return DiscordErrors.unknownChannel();
        const limit = Math.min(Number(query.limit ?? 50) || 50, 100);
        // `before` and `after` are message ids (snowflakes): they page by time, as on Discord.
        const before = query.before ? BigInt(String(query.before)) : null;
        const after = query.after ? BigInt(String(query.after)) : null;
        const inChannel = [...state.messages.values()].filter((m) => m.channel_id === params.channelId && (before === null || BigInt(m.id) < before) && (after === null || BigInt(m.id) > after));
        return ok(inChannel.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1)).slice(0, limit));
      },
    },
    {
      method: 'GET',
      route: FakeRoute.channelMessage,
      handle: ({ params }) => {
        const message = messageIn(ctx, params.channelId ?? '', params.messageId ?? '');
        return message ? ok(message) : DiscordErrors.unknownMessage();
      },
    },
    {
      method: 'PATCH',
      route: FakeRoute.channelMessage,
      handle: ({ params, body, files }) => {
        const message = messageIn(ctx, params.channelId ?? '', params.messageId ?? '');
        if (!message) return DiscordErrors.unknownMessage();
        if (message.author.id !== state.bot.id) return DiscordErrors.editOthersMessage();
        const invalid = checkMessageBody(body, false, files.length);
        return invalid ?? ok(editMessage(ctx, message, bodyObject(body), files));
      },
    },
    {
      method: 'DELETE',
      route: FakeRoute.channelMessage,
      handle: ({ params }) => {
        const channel = state.channels.get(params.channelId ?? '');
        const message = messageIn(ctx, params.channelId ?? '', params.messageId ?? '');
        if (!channel || !message) return DiscordErrors.unknownMessage();
        const mayDelete = message.author.id === state.bot.id || botCan(ctx, channel, PermissionFlagsBits.ManageMessages);
        if (!mayDelete) return DiscordErrors.missingPermissions();
        deleteMessage(ctx, message);
        return noContent;
      },
    },
    {
      method: 'POST',
      route: FakeRoute.typing,
      handle: ({ params }) => (state.channels.has(params.channelId ?? '') ? noContent : DiscordErrors.unknownChannel()),
    },
    {
      method: 'PUT',
      route: FakeRoute.ownReaction,
      handle: ({ params }) => (messageIn(ctx, params.channelId ?? '', params.messageId ?? '') ? noContent : DiscordErrors.unknownMessage()),
    },
    {
      method: 'DELETE',
      route: FakeRoute.ownReaction,
      handle: ({ params }) => (messageIn(ctx, params.channelId ?? '', params.messageId ?? '') ? noContent : DiscordErrors.unknownMessage()),
    },
    {
      method: 'POST',
      route: FakeRoute.threadFromMessage,
      handle: ({ params, body }) => {
        const message = messageIn(ctx, params.channelId ?? '', params.messageId ?? '');
        if (!message) return DiscordErrors.unknownMessage();
        const name = String(bodyObject(body).name ?? 'thread');
        // Discord gives a thread started from a message the message's id.
        const thread = state.addThread(message.channel_id, message.id, name, state.bot.id);
        const payload = apiChannel(state, thread);
        ctx.echo(GatewayDispatchEvents.ThreadCreate, { ...payload, newly_created: true });
        return ok(payload, 201);
      },
    },
    {
      method: 'POST',
      route: FakeRoute.dmChannels,
      handle: ({ body }) => {
        const recipientId = String(bodyObject(body).recipient_id ?? '');
        if (!state.users.has(recipientId)) return DiscordErrors.unknownUser();
        return ok(apiChannel(state, state.dmChannelWith(recipientId)));
      },
    },
  ];
}
