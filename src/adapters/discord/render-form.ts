import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import { PlatformLimitError } from '../../core/errors';
import type { Form, FormField } from '../../core/model/form';
import { truncate } from '../../core/text/truncate';
import { DISCORD_LIMITS } from './limits';

/**
 * A form as a Discord modal whose custom_id is `customId`: one labelled text input per
 * field, under the field's id so its value comes back under that id. The title and labels
 * are cut to Discord's limits; a field id, a prefilled value or too many fields is a
 * PlatformLimitError, since cutting them would change what comes back.
 */
export function renderFormModal(form: Form, customId: string): ModalBuilder {
  if (form.fields.length > DISCORD_LIMITS.modalInputs) {
    throw new PlatformLimitError('discord', 'modal_inputs', `a form has ${form.fields.length} fields; a Discord modal holds ${DISCORD_LIMITS.modalInputs}`);
  }
  return new ModalBuilder()
    .setCustomId(customId)
    .setTitle(truncate(form.title, DISCORD_LIMITS.modalTitle))
    .addLabelComponents(form.fields.map(labelledInput));
}

function labelledInput(field: FormField): LabelBuilder {
  checkFits('text input custom_id', field.id, DISCORD_LIMITS.customId);
  const maxLength = Math.min(field.maxLength ?? DISCORD_LIMITS.inputValue, DISCORD_LIMITS.inputValue);
  const input = new TextInputBuilder()
    .setCustomId(field.id)
    .setStyle(field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short)
    .setRequired(field.required ?? false)
    .setMaxLength(maxLength);
  if (field.initial) {
    checkFits('prefilled value', field.initial, maxLength);
    input.setValue(field.initial);
  }
  return new LabelBuilder().setLabel(truncate(field.label, DISCORD_LIMITS.inputLabel)).setTextInputComponent(input);
}

function checkFits(what: string, value: string, max: number): void {
  if (value.length > max) {
    throw new PlatformLimitError('discord', what.replace(/ /g, '_'), `a ${what} of ${value.length} characters exceeds Discord's ${max}`, { length: value.length });
  }
}
