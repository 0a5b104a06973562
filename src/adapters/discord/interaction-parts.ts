import { MessageFlags, RESTJSONErrorCodes, type ButtonInteraction, type ChatInputCommandInteraction, type Message, type ModalSubmitInteraction } from 'discord.js';
import type { Person } from '../../core/model/conversation';
import type { IncomingAction } from '../../core/model/incoming';
import type { AckKind, Metrics } from '../../core/ports/metrics';
import type { Logger } from '../../logging/logger';
import type { ButtonPayload } from './custom-id';
import { placeOf } from './inbound-message';
import { hasDiscordCode } from './platform-errors';
import { threadRefOf } from './thread-refs';

/** The interactions a person answers through: a click, a form they submitted, a slash command. */
type PersonalInteraction = ButtonInteraction | ModalSubmitInteraction | ChatInputCommandInteraction;

/** Where an acknowledgement's latency is counted, and as what. */
export interface AckTiming {
  readonly metrics: Metrics;
  readonly kind: AckKind;
}

/**
 * Sends the first response, timed: its round trip is the ack's latency. False when there is
 * nothing more to do: Discord says another delivery already answered (40060) or the
 * interaction outlived its 3 s (10062).
 * Only codes are logged: the error's URL carries the interaction token.
 */
export async function acknowledge(first: () => Promise<unknown>, interaction: { id: string }, log: Logger, timed: AckTiming): Promise<boolean> {
  const started = Date.now();
  try {
    await first();
    timed.metrics.ackObserved({ platform: 'discord', kind: timed.kind, ms: Date.now() - started });
    return true;
  } catch (error) {
    if (hasDiscordCode(error, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged)) {
      log.info({ interactionId: interaction.id }, 'interaction already acknowledged: a redelivery, ignored');
    } else if (hasDiscordCode(error, RESTJSONErrorCodes.UnknownInteraction)) {
      log.warn({ interactionId: interaction.id }, 'interaction expired before it was acknowledged');
    } else {
      const { code, status } = error as { code?: unknown; status?: unknown };
      log.error({ interactionId: interaction.id, code, status }, 'could not acknowledge an interaction');
    }
    return false;
  }
}

/**
 * The core's action for a button on `message`, pressed directly or through the form it
 * opened. The message belongs to the thread it replied to, or to the channel's top level.
 */
export function actionOn(interaction: ButtonInteraction | ModalSubmitInteraction, message: Message, { actionId, value }: ButtonPayload): IncomingAction {
  const root = message.reference?.messageId ?? null;
  const action: IncomingAction = { where: threadRefOf(placeOf(interaction), root), messageId: message.id, actionId, value, user: personOf(interaction) };
  // An ephemeral message (a `pending` list) is seen by its one reader, a DM by the one person in it: an inbox click.
  const privateSurface = message.flags.has(MessageFlags.Ephemeral) || !interaction.inGuild();
  return privateSurface ? { ...action, privateSurface: { workspace: interaction.guildId ?? null } } : action;
}

export function personOf(interaction: PersonalInteraction): Person {
  const name = interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName;
  return { id: interaction.user.id, name };
}
