/** A small form a button opens (deny with a reason, edit arguments): a modal on Slack and Discord, prompts in the console. */
export interface FormField {
  /** The key its value comes back under. */
  readonly id: string;
  readonly label: string;
  /** Prefilled text. */
  readonly initial?: string;
  readonly multiline?: boolean;
  readonly required?: boolean;
  /** At most this many characters (Discord allows 4,000 per field). */
  readonly maxLength?: number;
}

export interface Form {
  readonly title: string;
  readonly submitLabel: string;
  /** At most five: Discord's modal limit. */
  readonly fields: readonly FormField[];
}

/** The most fields a form may have on every platform (Discord modals hold five inputs). */
export const MAX_FORM_FIELDS = 5;
