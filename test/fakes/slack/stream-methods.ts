/**
 * chat.startStream, chat.appendStream and chat.stopStream as Slack checks them
 * (https://docs.slack.dev/reference/methods/chat.startStream and its siblings): a stream is a
 * thread reply; outside a DM it names its recipient and their team; each call carries at most
 * 12,000 characters of markdown; appends and the stop need a stream still open.
 */
import { blockProblems } from './block-kit-checks';
import type { Answer, Params } from './web-api-methods';

/** One streamed message as the fake shows it. */
export interface FakeStream {
  readonly channel: string;
  readonly threadTs: string;
  /** Everything streamed into it, in order. */
  text: string;
  /** False once chat.stopStream ended it. */
  open: boolean;
  /** The blocks chat.stopStream added below the text (feedback buttons), checked as Block Kit. */
  blocks?: unknown[];
}

/** The most `markdown_text` one call carries. */
export const STREAM_TEXT_LIMIT = 12_000;

type Handler = (params: Params) => Answer;

/** The three methods over `streams` (by ts), which tests read to see what a stream showed. */
export function streamHandlers(streams: Map<string, FakeStream>, nextTs: () => string): Record<string, Handler> {
  return {
    'chat.startStream': (params) => {
      const problem = textProblem(params, true) ?? startProblem(params);
      if (problem) return refused(problem);
      const ts = nextTs();
      streams.set(ts, { channel: String(params.channel), threadTs: String(params.thread_ts), text: String(params.markdown_text), open: true });
      return { ok: true, channel: params.channel, ts };
    },
    'chat.appendStream': (params) => {
      const stream = openStream(streams, params);
      if (typeof stream === 'string') return refused(stream);
      const problem = textProblem(params, true);
      if (problem) return refused(problem);
      stream.text += String(params.markdown_text);
      return { ok: true, channel: params.channel, ts: params.ts };
    },
    'chat.stopStream': (params) => {
      const stream = openStream(streams, params);
      if (typeof stream === 'string') return refused(stream);
      const problem = textProblem(params, false) ?? (params.blocks === undefined ? undefined : blockProblems(params.blocks).length > 0 ? 'invalid_blocks' : undefined);
      if (problem) return refused(problem);
      stream.text += params.markdown_text === undefined ? '' : String(params.markdown_text);
      if (Array.isArray(params.blocks)) stream.blocks = params.blocks;
      stream.open = false;
      return { ok: true, channel: params.channel, ts: params.ts, message: { text: stream.text, ts: params.ts, thread_ts: stream.threadTs } };
    },
  };
}

function startProblem(params: Params): string | undefined {
  if (typeof params.channel !== 'string' || params.channel === '') return 'channel_not_found';
  if (typeof params.thread_ts !== 'string' || params.thread_ts === '') return 'invalid_arguments';
  // Slack's id prefixes: D for a direct message, where the recipient is implied.
  const inDm = params.channel.startsWith('D');
  if (!inDm && (typeof params.recipient_user_id !== 'string' || typeof params.recipient_team_id !== 'string')) return 'invalid_arguments';
  return undefined;
}

function textProblem(params: Params, required: boolean): string | undefined {
  const text = params.markdown_text;
  if (text === undefined) return required ? 'invalid_arguments' : undefined;
  if (typeof text !== 'string' || text === '') return 'invalid_arguments';
  return text.length > STREAM_TEXT_LIMIT ? 'msg_too_long' : undefined;
}

function openStream(streams: Map<string, FakeStream>, params: Params): FakeStream | string {
  const stream = streams.get(String(params.ts));
  if (!stream || stream.channel !== params.channel) return 'message_not_found';
  return stream.open ? stream : 'message_not_in_streaming_state';
}

function refused(error: string): Answer {
  return { ok: false, error };
}
