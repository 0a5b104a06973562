import { NotInChannelError, SwitchboardError } from './errors';

const MODEL_MESSAGES: Record<string, string> = {
  timeout: 'The language model took too long to answer. Please try again in a moment.',
  rate_limited: 'The language model is busy (rate limited). Please try again in a minute.',
  unavailable: 'The language model is unavailable right now. Please try again later.',
  refused: 'The language model declined to answer that.',
  malformed_output: "The language model's answer didn't make sense, so I did nothing. Please rephrase and try again.",
};

/** What a person reads when the database did not answer: nothing they asked for was done, and trying again will work. */
export const STORE_UNAVAILABLE_MESSAGE = 'I could not record that: my database is not answering, so nothing was changed. Please try again in a moment.';

/**
 * The one place that turns an error into what the user reads. User errors show their
 * own message; model errors a short explanation by code; a database that did not answer
 * asks them to try again; a channel the bot may not post in says how to let it in; anything else a generic line (the details go to the log, not the channel).
 */
export function userFacingMessage(error: unknown): string {
  if (error instanceof NotInChannelError) {
    const where = error.context.channelName ?? 'that channel';
    return `I could not answer you in ${where}: I am not a member of it, or may not post there. ${error.context.remedy}, then ask again.`;
  }
  if (error instanceof SwitchboardError) {
    if (error.fault === 'user') return error.message;
    if (error.fault === 'model') return MODEL_MESSAGES[error.code] ?? MODEL_MESSAGES.unavailable!;
    if (error.fault === 'store') return STORE_UNAVAILABLE_MESSAGE;
  }
  return 'Something went wrong on my side; the team can find the details in the logs.';
}
