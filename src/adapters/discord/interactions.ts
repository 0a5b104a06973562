import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { opensForm } from '../../core/model/action-ids';
import type { IncomingCommand } from '../../core/model/incoming';
import type { Core } from '../../core/ports/inbound';
import type { Metrics } from '../../core/ports/metrics';
import type { Logger } from '../../logging/logger';
import { decodeCustomId } from './custom-id';
import { openFormModal } from './form-interactions';
import { placeOf } from './inbound-message';
import { acknowledge, actionOn, personOf } from './interaction-parts';
import { PrivateReplies } from './private-replies';
import { coreCommandFor } from './slash-commands';
import { threadRefOf } from './thread-refs';

/**
 * A button click: acknowledged first (Discord allows 3 s), then decided by the core, which
 * edits the card through the adapter and answers refusals privately. A redelivered
 * interaction finds it already acknowledged (40060) and stops there, so it decides nothing.
 * A button that opens a form is not deferred: its modal must be the first answer.
 */
export async function handleButtonClick(interaction: ButtonInteraction, core: Core, log: Logger, metrics: Metrics): Promise<void> {
  const action = actionOn(interaction, interaction.message, decodeCustomId(interaction.customId));
  if (opensForm(action.actionId)) return openFormModal(interaction, action, core, log, metrics);
  if (!(await acknowledge(() => interaction.deferUpdate(), interaction, log, { metrics, kind: 'action' }))) return;
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
