import { ComponentType, MessageFlags, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import { PlatformLimitError } from '../../core/errors';
import { opensForm } from '../../core/model/action-ids';
import { text } from '../../core/model/card';
import type { IncomingAction } from '../../core/model/incoming';
import type { Core } from '../../core/ports/inbound';
import type { Metrics } from '../../core/ports/metrics';
import type { Logger } from '../../logging/logger';
import { decodeCustomId, encodeCustomId } from './custom-id';
import { acknowledge, actionOn } from './interaction-parts';
import { PrivateReplies } from './private-replies';
import { renderFormModal } from './render-form';

/** Said when a submitted form no longer leads back to a card's button (an older deploy's, or one without its message). */
export const OUTDATED_FORM_NOTICE = 'This form is out of date, so nothing was done. Open it again from the card.';

/**
 * A click on a button that opens a form (deny with a reason, edit). The modal must be the
 * interaction's first answer, within 3 s, so nothing is deferred: the core is asked for the
 * form and the modal shown at once. Its custom_id is the button's action and value; the
 * card comes back with the submission as its `message`. When the core refuses, its private
 * answer is the interaction's first (ephemeral) reply.
 */
export async function openFormModal(interaction: ButtonInteraction, action: IncomingAction, core: Core, log: Logger, metrics: Metrics): Promise<void> {
  const replies = new PrivateReplies(interaction, 'none');
  const form = await core.openForm(action, replies.reply);
  if (!form) return;
  let modal;
  try {
    modal = renderFormModal(form, encodeCustomId(action));
  } catch (err) {
    if (!(err instanceof PlatformLimitError)) throw err;
    log.warn({ err, actionId: action.actionId }, 'form does not fit in a Discord modal');
    return replies.reply(text(`That form does not fit in Discord (${err.message}).`));
  }
  await acknowledge(() => interaction.showModal(modal), interaction, log, { metrics, kind: 'action' });
}

/**
 * A submitted form: a private "thinking…" first (its own 3 s deadline), then the click it
 * came from goes to the core with the typed values. The submitter is the interaction's
 * user, as Discord signs it.
 */
export async function handleFormSubmit(interaction: ModalSubmitInteraction, core: Core, log: Logger, metrics: Metrics): Promise<void> {
  if (!(await acknowledge(() => interaction.deferReply({ flags: MessageFlags.Ephemeral }), interaction, log, { metrics, kind: 'action' }))) return;
  const replies = new PrivateReplies(interaction, 'reply');
  const payload = decodeCustomId(interaction.customId);
  const message = interaction.isFromMessage() ? interaction.message : null;
  if (!opensForm(payload.actionId) || !message) {
    log.warn({ customId: interaction.customId, fromMessage: message !== null }, 'form submission that leads to no card answered as out of date');
    return replies.reply(text(OUTDATED_FORM_NOTICE));
  }
  await core.handleAction({ ...actionOn(interaction, message, payload), form: typedValues(interaction) }, replies.reply);
  await replies.finish();
}

/** The text inputs' values by custom_id (the form's field ids). */
function typedValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) if (field.type === ComponentType.TextInput) values[id] = field.value;
  return values;
}
