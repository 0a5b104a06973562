/**
 * chat.startStream, chat.appendStream and chat.stopStream as Slack checks them
 * (https://docs.slack.dev/reference/methods/chat.startStream and its siblings): a stream is a
 * thread reply; outside a DM it names its recipient and their team; each call carries
 * markdown or chunks (chunk-checks.ts); appends and the stop need a stream still open. A
 * person's Stop ends the open streams of their thread (stopStreamsIn), as Slack does before
 * it sends `agent_session_stopped`.
 */
import { blockProblems } from './block-kit-checks';
import { streamContent, TASK_DISPLAY_MODES } from './chunk-checks';
import type { Answer, Params } from './web-api-methods';

export { STREAM_TEXT_LIMIT } from './chunk-checks';

/** One streamed message as the fake shows it. */
export interface FakeStream {
  readonly channel: string;
  readonly threadTs: string;
  /** Everything streamed into it as words, in order. */
  text: string;
  /** Every task_update chunk it received, in order (a card shows the latest of its id). */
  tasks: Record<string, unknown>[];
  /** The display mode it started with, if any. */
  readonly taskDisplayMode?: string;
  /** False once chat.stopStream ended it, or a person's Stop did. */
  open: boolean;
  /** True when a person's Stop ended it rather than the app. */
  stoppedByPerson?: boolean;
  /** The blocks chat.stopStream added below the text (feedback buttons), checked as Block Kit. */
  blocks?: unknown[];
}

type Handler = (params: Params) => Answer;

/** The three methods over `streams` (by ts), which tests read to see what a stream showed. */
export function streamHandlers(streams: Map<string, FakeStream>, nextTs: () => string): Record<string, Handler> {
  return {
    'chat.startStream': (params) => {
      const problem = startProblem(params);
      if (problem) return refused(problem);
      const content = streamContent(params, true);
      if ('error' in content) return refused(content.error, content.problem);
      const ts = nextTs();
      const mode = typeof params.task_display_mode === 'string' ? { taskDisplayMode: params.task_display_mode } : {};
      streams.set(ts, { channel: String(params.channel), threadTs: String(params.thread_ts), text: content.markdown, tasks: content.tasks, open: true, ...mode });
      return { ok: true, channel: params.channel, ts };
    },
    'chat.appendStream': (params) => {
      const stream = openStream(streams, params);
      if (typeof stream === 'string') return refused(stream);
      const content = streamContent(params, true);
      if ('error' in content) return refused(content.error, content.problem);
      stream.text += content.markdown;
      stream.tasks.push(...content.tasks);
      return { ok: true, channel: params.channel, ts: params.ts };
    },
    'chat.stopStream': (params) => {
      const stream = openStream(streams, params);
      if (typeof stream === 'string') return refused(stream);
      const content = streamContent(params, false);
      if ('error' in content) return refused(content.error, content.problem);
      if (params.blocks !== undefined && blockProblems(params.blocks).length > 0) return refused('invalid_blocks');
      stream.text += content.markdown;
      stream.tasks.push(...content.tasks);
      if (Array.isArray(params.blocks)) stream.blocks = params.blocks;
      stream.open = false;
      return { ok: true, channel: params.channel, ts: params.ts, message: { text: stream.text, ts: params.ts, thread_ts: stream.threadTs } };
    },
  };
}

/** What a person's Stop does to a thread's streams: the open ones end; their ts, for the event Slack then sends. */
export function stopStreamsIn(streams: Map<string, FakeStream>, channel: string, threadTs: string): string[] {
  const stopped = [...streams.entries()].filter(([, s]) => s.open && s.channel === channel && s.threadTs === threadTs);
  for (const [, stream] of stopped) Object.assign(stream, { open: false, stoppedByPerson: true });
  return stopped.map(([ts]) => ts);
}

function startProblem(params: Params): string | undefined {
  if (typeof params.channel !== 'string' || params.channel === '') return 'channel_not_found';
  if (typeof params.thread_ts !== 'string' || params.thread_ts === '') return 'invalid_arguments';
  if (params.task_display_mode !== undefined && !(TASK_DISPLAY_MODES as readonly unknown[]).includes(params.task_display_mode)) return 'invalid_arguments';
  // Slack's id prefixes: D for a direct message, where the recipient is implied.
  const inDm = params.channel.startsWith('D');
  if (!inDm && (typeof params.recipient_user_id !== 'string' || typeof params.recipient_team_id !== 'string')) return 'invalid_arguments';
  return undefined;
}

function openStream(streams: Map<string, FakeStream>, params: Params): FakeStream | string {
  const stream = streams.get(String(params.ts));
  if (!stream || stream.channel !== params.channel) return 'message_not_found';
  return stream.open ? stream : 'message_not_in_streaming_state';
}

/** Slack's refusal; the reason in response_metadata.messages, as Slack explains invalid content. */
function refused(error: string, problem?: string): Answer {
  return { ok: false, error, ...(problem && { response_metadata: { messages: [`[ERROR] ${problem}`] } }) };
}
