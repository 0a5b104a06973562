/** Button action ids. Adapters route clicks back to the core by these; never repeat the literals. */
export const APPROVE_ACTION = 'switchboard.approve';
export const DENY_ACTION = 'switchboard.deny';
export const DENY_WITH_REASON_ACTION = 'switchboard.deny_reason';
export const EDIT_ACTION = 'switchboard.edit';
export const CANCEL_ACTION = 'switchboard.cancel';
export const CLEAR_CONTEXT_CONFIRM_ACTION = 'switchboard.context_clear_confirm';
export const CLEAR_CONTEXT_CANCEL_ACTION = 'switchboard.context_clear_cancel';
/** 👍 or 👎 on an answer; the value says which (model/feedback.ts). */
export const FEEDBACK_ACTION = 'switchboard.feedback';
/** "Always allow here" on a card: approves the request and lets its tool run without asking in the channel (docs/policy.md). */
export const ALWAYS_ALLOW_ACTION = 'switchboard.allow_here';
/** Undo under the notice an "Always allow here" posts; the value is the tool whose channel rule it removes. */
export const UNDO_RULE_ACTION = 'switchboard.policy_undo';

export const ACTION_IDS = [
  APPROVE_ACTION,
  DENY_ACTION,
  DENY_WITH_REASON_ACTION,
  EDIT_ACTION,
  CANCEL_ACTION,
  CLEAR_CONTEXT_CONFIRM_ACTION,
  CLEAR_CONTEXT_CANCEL_ACTION,
  FEEDBACK_ACTION,
  ALWAYS_ALLOW_ACTION,
  UNDO_RULE_ACTION,
] as const;

const FORM_ACTIONS: ReadonlySet<string> = new Set([DENY_WITH_REASON_ACTION, EDIT_ACTION]);

/**
 * Whether a click opens a form before it is decided: the adapter asks the core for the form
 * (Core.openForm) and opens it as the click's first answer (a Slack modal, a Discord modal,
 * a console prompt); the submission comes back as the same action with `form` values.
 */
export function opensForm(actionId: string): boolean {
  return FORM_ACTIONS.has(actionId);
}
