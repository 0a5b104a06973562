import { SwitchboardError } from './errors';

const MODEL_MESSAGES: Record<string, string> = {
  timeout: 'The language model took too long to answer. Please try again in a moment.',
  rate_limited: 'The language model is busy (rate limited). Please try again in a minute.',
  unavailable: 'The language model is unavailable right now. Please try again later.',
  refused: 'The language model declined to answer that.',
  malformed_output: "The language model's answer didn't make sense, so I did nothing. Please rephrase and try again.",
};

/**
 * The one place that turns an error into what the user reads. User errors show their
 * own message; model errors a short explanation by code; anything else a generic line
 * (the details go to the log, not the channel).
 */
export function userFacingMessage(error: unknown): string {
  if (error instanceof SwitchboardError) {
    if (error.fault === 'user') return error.message;
    if (error.fault === 'model') return MODEL_MESSAGES[error.code] ?? MODEL_MESSAGES.unavailable!;
  }
  return 'Something went wrong on my side; the team can find the details in the logs.';
}
