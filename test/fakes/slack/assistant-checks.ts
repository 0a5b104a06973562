/**
 * The arguments Slack's assistant.threads.* methods require
 * (https://docs.slack.dev/reference/methods/assistant.threads.setStatus, .setSuggestedPrompts,
 * .setTitle): a DM channel and a thread, then each method's own. A real Slack answers a
 * missing or malformed one with `invalid_arguments`.
 */
import type { Params } from './web-api-methods';

/** Slack offers at most this many suggested prompts. */
export const MAX_SUGGESTED_PROMPTS = 4;

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

const METHOD_CHECKS: Record<string, (params: Params) => string[]> = {
  // An empty status clears it.
  'assistant.threads.setStatus': (params) => (typeof params.status === 'string' ? [] : ['status: required (empty clears it)']),
  'assistant.threads.setTitle': (params) => (nonEmpty(params.title) ? [] : ['title: required']),
  'assistant.threads.setSuggestedPrompts': (params) => promptProblems(params.prompts),
};

/**
 * What is wrong with an assistant.threads.* call; null for any other method. Suggested prompts
 * may leave out the thread: an agent app sets them for its DM
 * (https://docs.slack.dev/reference/methods/assistant.threads.setSuggestedPrompts).
 */
export function assistantThreadProblems(method: string, params: Params): string[] | null {
  const check = METHOD_CHECKS[method];
  if (!check) return null;
  const problems = check(params);
  if (!nonEmpty(params.channel_id)) problems.push('channel_id: required');
  const threadOptional = method === 'assistant.threads.setSuggestedPrompts' && params.thread_ts === undefined;
  if (!threadOptional && !nonEmpty(params.thread_ts)) problems.push('thread_ts: required');
  return problems;
}

function promptProblems(prompts: unknown): string[] {
  if (!Array.isArray(prompts) || prompts.length === 0) return ['prompts: a non-empty array required'];
  if (prompts.length > MAX_SUGGESTED_PROMPTS) return [`prompts: at most ${MAX_SUGGESTED_PROMPTS}`];
  return prompts.flatMap((p: { title?: unknown; message?: unknown }, i) => (nonEmpty(p?.title) && nonEmpty(p?.message) ? [] : [`prompts[${i}]: title and message required`]));
}
