/**
 * The chunks chat.startStream, appendStream and stopStream take, checked as Slack documents
 * them (https://docs.slack.dev/messaging/sending-and-scheduling-messages#text-streaming and
 * @slack/types' chunk.d.ts): a known `type`, each type's required fields, task statuses from
 * Slack's list, `url` sources, at most 50 blocks, and at most 12,000 characters of markdown in
 * one call whether it comes as `markdown_text` or as chunks.
 */
import { blockProblems } from './block-kit-checks';
import type { Params } from './web-api-methods';

/** The most markdown one call carries. */
export const STREAM_TEXT_LIMIT = 12_000;

/** What Slack shows of a task card's one-line fields. */
export const TASK_LINE_LIMIT = 256;

export const TASK_STATUSES = ['pending', 'in_progress', 'complete', 'error'] as const;
export const TASK_DISPLAY_MODES = ['timeline', 'plan'] as const;

type Chunk = Record<string, unknown>;

/** A stream call's content as read: its markdown (joined) and its task updates, in order; or Slack's error code. */
export type StreamContent = { markdown: string; tasks: Chunk[] } | { error: string; problem: string };

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** What a stream call adds (`markdown_text`, then `chunks`); `required`: start and append must add something, stop need not. */
export function streamContent(params: Params, required: boolean): StreamContent {
  const { markdown_text: text, chunks } = params;
  if (text === undefined && chunks === undefined) return required ? refuse('invalid_arguments', 'markdown_text or chunks required') : { markdown: '', tasks: [] };
  if (text !== undefined && !isText(text)) return refuse('invalid_arguments', 'markdown_text: a non-empty string');
  if (chunks !== undefined && (!Array.isArray(chunks) || chunks.length === 0)) return refuse('invalid_chunks', 'chunks: a non-empty array');
  const list = (chunks ?? []) as Chunk[];
  const problems = list.flatMap((chunk: unknown, i) => chunkProblems(chunk, `chunks[${i}]`));
  if (problems.length > 0) return refuse('invalid_chunks', problems.join('; '));
  const markdown = (text ?? '') + list.filter((c) => c.type === 'markdown_text').map((c) => String(c.text)).join('');
  if (markdown.length > STREAM_TEXT_LIMIT) return refuse('msg_too_long', `markdown is ${markdown.length} chars > ${STREAM_TEXT_LIMIT}`);
  return { markdown, tasks: list.filter((c) => c.type === 'task_update') };
}

function chunkProblems(chunk: unknown, at: string): string[] {
  if (typeof chunk !== 'object' || chunk === null) return [`${at}: not an object`];
  const c = chunk as Chunk;
  switch (c.type) {
    case 'markdown_text':
      return isText(c.text) ? [] : [`${at}.text: required`];
    case 'plan_update':
      return isText(c.title) ? [] : [`${at}.title: required`];
    case 'blocks':
      return blockProblems(c.blocks).map((p) => `${at}: ${p}`);
    case 'task_update':
      return taskProblems(c, at);
    default:
      return [`${at}.type: unknown (${String(c.type)})`];
  }
}

function taskProblems(task: Chunk, at: string): string[] {
  const problems: string[] = [];
  if (!isText(task.id)) problems.push(`${at}.id: required`);
  if (!isText(task.title)) problems.push(`${at}.title: required`);
  if (!(TASK_STATUSES as readonly unknown[]).includes(task.status)) problems.push(`${at}.status: one of ${TASK_STATUSES.join(', ')}`);
  for (const field of ['details', 'output'] as const) {
    const value = task[field];
    if (value !== undefined && (!isText(value) || value.length > TASK_LINE_LIMIT)) problems.push(`${at}.${field}: a string of 1 to ${TASK_LINE_LIMIT} chars`);
  }
  if (task.sources !== undefined) problems.push(...sourceProblems(task.sources, `${at}.sources`));
  return problems;
}

function sourceProblems(sources: unknown, at: string): string[] {
  if (!Array.isArray(sources)) return [`${at}: an array`];
  return sources.flatMap((s: Chunk, i) => (s?.type === 'url' && isText(s.url) && /^https?:\/\//.test(s.url) && isText(s.text) ? [] : [`${at}[${i}]: { type: 'url', url, text }`]));
}

function refuse(error: string, problem: string): StreamContent {
  return { error, problem };
}
