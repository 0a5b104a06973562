/** Button action ids. Adapters route clicks back to the core by these; never repeat the literals. */
export const APPROVE_ACTION = 'switchboard.approve';
export const DENY_ACTION = 'switchboard.deny';
export const CANCEL_ACTION = 'switchboard.cancel';
export const CLEAR_CONTEXT_CONFIRM_ACTION = 'switchboard.context_clear_confirm';
export const CLEAR_CONTEXT_CANCEL_ACTION = 'switchboard.context_clear_cancel';

export const ACTION_IDS = [
  APPROVE_ACTION,
  DENY_ACTION,
  CANCEL_ACTION,
  CLEAR_CONTEXT_CONFIRM_ACTION,
  CLEAR_CONTEXT_CANCEL_ACTION,
] as const;
