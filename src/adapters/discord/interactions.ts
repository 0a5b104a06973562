import { MessageFlags, RESTJSONErrorCodes, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Person } from '../../core/model/conversation';
import type { IncomingAction, IncomingCommand } from '../../core/model/incoming';
import type { Core } from '../../core/ports/inbound';
import type { AckKind, Metrics } from '../../core/ports/metrics';
import type { Logger } from '../../logging/logger';
import { decodeCustomId } from './custom-id';
import { placeOf } from './inbound-message';
import { hasDiscordCode } from './platform-errors';
import { PrivateReplies } from './private-replies';
import { coreCommandFor } from './slash-commands';
import { threadRefOf } from './thread-refs';

/**
 * A button click: acknowledged first (Discord allows 3 s), then decided by the core, which
 * edits the card through the adapter and answers refusals privately. A redelivered
 * interaction finds it already acknowledged (40060) and stops there, so it decides nothing.
 */
export async function handleButtonClick(interaction: ButtonInteraction, core: Core, log: Logger, metrics: Metrics): Promise<void> {
  if (!(await acknowledge(() => interaction.deferUpdate(), interaction, log, { metrics, kind: 'action' }))) return;
  const { actionId, value } = decodeCustomId(interaction.customId);
  // The clicked message belongs to the thread it replied to, or to the channel's top level.
  const root = interaction.message.reference?.messageId ?? null;
  const action: IncomingAction = {
    where: threadRefOf(placeOf(interaction), root),
    messageId: interaction.message.id,
    actionId,
    value,
    user: personOf(interaction),
  };
  await core.handleAction(action, new PrivateReplies(interaction, 'update').reply);
}

/** A slash command: a private "thinking…" first, then the core's answer in its place. */
export async function handleSlashCommand(interaction: ChatInputCommandInteraction, core: Core, log: Logger, metrics: Metrics): Promise<void> {
  if (!(await acknowledge(() => interaction.deferReply({ flags: MessageFlags.Ephemeral }), interaction, log, { metrics, kind: 'command' }))) return;
  const replies = new PrivateReplies(interaction, 'reply');
  const translated = coreCommandFor(interaction.commandName, interaction.options.getSubcommand(false), (name) => interaction.options.getString(name));
  if (!translated) {
    log.warn({ command: interaction.commandName }, 'unknown slash command (registered by an older version?)');
    await replies.reply({ text: 'I no longer know that command; try `/switchboard help`.' });
    return;
  }
  const command: IncomingCommand = { where: threadRefOf(placeOf(interaction), null), user: personOf(interaction), ...translated };
  await core.handleCommand(command, replies.reply);
  await replies.finish();
}

/**
 * Sends the first response, timed: nothing comes before it, so its round trip is the ack's
 * latency. False when there is nothing more to do: Discord says another delivery already
 * answered (40060) or the interaction outlived its 3 s (10062).
 * Only codes are logged: the error's URL carries the interaction token.
 */
async function acknowledge(first: () => Promise<unknown>, interaction: { id: string }, log: Logger, timed: { metrics: Metrics; kind: AckKind }): Promise<boolean> {
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

function personOf(interaction: ButtonInteraction | ChatInputCommandInteraction): Person {
  const name = interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName;
  return { id: interaction.user.id, name };
}
