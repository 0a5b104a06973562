import type { types, ViewOutput } from '@slack/bolt';
import { PlatformLimitError } from '../../core/errors';
import type { Form, FormField } from '../../core/model/form';
import { truncate } from '../../core/text/truncate';
import { checkLength, SLACK_LIMITS } from './limits';

/** The callback_id of every form modal: all submissions come back to one listener. */
export const FORM_CALLBACK_ID = 'switchboard.form';

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(text, max) });

/**
 * A form as a Slack modal: one plain_text_input per field, under the field's id as both
 * block_id and action_id so its value comes back under that id. Titles and labels are cut
 * to Slack's limits; a prefilled value or metadata that does not fit is a PlatformLimitError,
 * since a cut value would change what is submitted.
 */
export function renderFormView(form: Form, privateMetadata: string): types.ModalView {
  checkLength('private metadata', privateMetadata, SLACK_LIMITS.privateMetadata);
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain(form.title, SLACK_LIMITS.modalTitle),
    submit: plain(form.submitLabel, SLACK_LIMITS.modalButton),
    close: plain('Cancel', SLACK_LIMITS.modalButton),
    blocks: form.fields.map(inputBlock),
  };
}

function inputBlock(field: FormField): types.InputBlock {
  checkLength('block id', field.id, SLACK_LIMITS.blockId);
  const maxLength = Math.min(field.maxLength ?? SLACK_LIMITS.plainTextInput, SLACK_LIMITS.plainTextInput);
  if (field.initial !== undefined && field.initial.length > maxLength) {
    throw new PlatformLimitError('slack', 'input_initial_value', `a form field holds ${field.initial.length} characters; Slack's text input takes ${maxLength}`, {
      field: field.id,
      length: field.initial.length,
    });
  }
  return {
    type: 'input',
    block_id: field.id,
    optional: !field.required,
    label: plain(field.label, SLACK_LIMITS.inputLabel),
    element: {
      type: 'plain_text_input',
      action_id: field.id,
      multiline: field.multiline ?? false,
      max_length: maxLength,
      ...(field.initial ? { initial_value: field.initial } : {}),
    },
  };
}

/** The submitted values by field id; an optional field left empty comes back as ''. */
export function formValues(state: ViewOutput['state']): Record<string, string> {
  const values: Record<string, string> = {};
  for (const block of Object.values(state.values)) {
    for (const [fieldId, input] of Object.entries(block)) values[fieldId] = typeof input.value === 'string' ? input.value : '';
  }
  return values;
}

/** What a submission of a form this version cannot read (an older deploy's) is answered with, in place of the modal. */
export function outdatedFormView(): types.ModalView {
  return {
    type: 'modal',
    title: plain('Form out of date', SLACK_LIMITS.modalTitle),
    close: plain('Close', SLACK_LIMITS.modalButton),
    blocks: [{ type: 'section', text: { type: 'plain_text', text: 'This form is out of date, so nothing was done. Open it again from the card.' } }],
  };
}
