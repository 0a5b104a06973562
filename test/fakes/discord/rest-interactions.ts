import { InteractionResponseType, InteractionType, MessageFlags, type APIMessage } from 'discord.js';
import { checkMessageBody, checkModalBody, discordError, type DiscordErrorAnswer } from './limits-checks';
import { createBotMessage, deleteMessage, editMessage, isEphemeral } from './messages';
import { bodyObject, DiscordErrors, noContent, ok, type RestContext } from './rest-context';
import type { RestAnswer, RestRequest, RestRoute } from './rest-server';
import { FakeRoute } from './routes';
import type { InteractionRecord } from './state';

/**
 * The interaction callback and the interaction webhook (editReply, followUp, deleteReply).
 * `@original` names the deferred/initial reply for types 4/5, and the clicked message for 6/7.
 */
export function interactionRoutes(ctx: RestContext): RestRoute[] {
  const webhookMessage = (handle: (interaction: InteractionRecord, message: APIMessage, request: RestRequest) => RestAnswer) =>
    (request: RestRequest): RestAnswer => {
      const interaction = answeredInteraction(ctx, request.params);
      if (!interaction) return DiscordErrors.unknownWebhook();
      const messageId = request.params.messageId ?? interaction.originalMessageId;
      const message = messageId ? ctx.state.messages.get(messageId) : undefined;
      return message ? handle(interaction, message, request) : DiscordErrors.unknownMessage();
    };
  const edit = webhookMessage((_interaction, message, { body, files }) => {
    const invalid = checkMessageBody(body, false, files.length);
    return invalid ?? ok(editMessage(ctx, message, bodyObject(body), files));
  });
  const remove = webhookMessage((_interaction, message) => {
    deleteMessage(ctx, message);
    return noContent;
  });
  const get = webhookMessage((_interaction, message) => ok(message));
  return [
    { method: 'POST', route: FakeRoute.interactionCallback, handle: (request) => callback(ctx, request) },
    {
      method: 'POST',
      route: FakeRoute.webhook,
      handle: ({ params, body, files }) => {
        const interaction = answeredInteraction(ctx, params);
        if (!interaction) return DiscordErrors.unknownWebhook();
        const invalid = checkMessageBody(body, true, files.length);
        if (invalid) return invalid;
        return ok(createBotMessage(ctx, { channelId: interaction.channelId, body: bodyObject(body), files, interaction }));
      },
    },
    ...[FakeRoute.originalResponse, FakeRoute.webhookMessage].flatMap((route): RestRoute[] => [
      { method: 'GET', route, handle: get },
      { method: 'PATCH', route, handle: edit },
      { method: 'DELETE', route, handle: remove },
    ]),
  ];
}

/** The interaction behind a webhook token, once it has been answered (before that Discord knows no webhook). */
function answeredInteraction(ctx: RestContext, params: Record<string, string>): InteractionRecord | undefined {
  if (params.applicationId !== ctx.state.applicationId) return undefined;
  const interaction = [...ctx.state.interactions.values()].find((i) => i.token === params.token);
  return interaction?.callbackType === undefined ? undefined : interaction;
}

function callback(ctx: RestContext, { params, body, query, files }: RestRequest): RestAnswer {
  const interaction = ctx.state.interactions.get(params.interactionId ?? '');
  if (!interaction || interaction.token !== params.token) return DiscordErrors.unknownInteraction();
  if (interaction.callbackType !== undefined) return DiscordErrors.alreadyAcknowledged();
  if (Date.now() - interaction.createdAt > ctx.interactionDeadlineMs) return DiscordErrors.unknownInteraction();
  const response = bodyObject(body);
  const type = Number(response.type);
  const data = bodyObject(response.data);
  const outcome = respond(ctx, interaction, type, data, files);
  if ('status' in outcome) return outcome;
  interaction.callbackType = type;
  interaction.originalMessageId = outcome.originalMessageId;
  if (query.with_response !== 'true') return noContent;
  const message = outcome.originalMessageId ? ctx.state.messages.get(outcome.originalMessageId) : undefined;
  return ok({
    interaction: {
      id: interaction.id,
      type: INTERACTION_TYPES[interaction.kind],
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
            response_message_ephemeral: isEphemeral(message),
          }
        : {}),
    },
    resource: { type, ...(message ? { message } : {}) },
  });
}

/** Applies one callback type; returns what `@original` now names, or a Discord error. */
function respond(
  ctx: RestContext,
  interaction: InteractionRecord,
  type: number,
  data: Record<string, unknown>,
  files: RestRequest['files'],
): { originalMessageId?: string } | DiscordErrorAnswer {
  const onComponent = interaction.kind === 'component';
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const invalid = checkMessageBody(data, true, files.length);
      if (invalid) return invalid;
      const message = createBotMessage(ctx, { channelId: interaction.channelId, body: data, files, interaction });
      return { originalMessageId: message.id };
    }
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = Number(data.flags ?? 0) & MessageFlags.Ephemeral;
      const body = { flags };
      const message = createBotMessage(ctx, { channelId: interaction.channelId, body, files: [], interaction, extraFlags: MessageFlags.Loading });
      return { originalMessageId: message.id };
    }
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      if (!onComponent || !interaction.componentMessageId) return invalidCallbackType();
      const message = ctx.state.messages.get(interaction.componentMessageId);
      if (!message) return DiscordErrors.unknownMessage();
      if (type === InteractionResponseType.UpdateMessage) {
        const invalid = checkMessageBody(data, false, files.length);
        if (invalid) return invalid;
        editMessage(ctx, message, data, files);
      }
      return { originalMessageId: message.id };
    }
    case InteractionResponseType.Modal: {
      // A modal answers a click or a command; a submitted modal cannot open another.
      if (interaction.kind === 'modal') return invalidCallbackType();
      const invalid = checkModalBody(data);
      if (invalid) return invalid;
      interaction.modal = data;
      return {};
    }
    default:
      return invalidCallbackType();
  }
}

const INTERACTION_TYPES: Record<InteractionRecord['kind'], InteractionType> = {
  command: InteractionType.ApplicationCommand,
  component: InteractionType.MessageComponent,
  modal: InteractionType.ModalSubmit,
};

function invalidCallbackType(): DiscordErrorAnswer {
  const answer = discordError(400, 50035, 'Invalid Form Body');
  answer.body.errors = { type: { _errors: [{ code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: 'Interaction callback type is invalid for this interaction' }] } };
  return answer;
}
