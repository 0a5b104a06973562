import type { FakeAnswer, FakeOpenAi } from '../test/fakes/fake-openai';
import { appMentionEvent, sendEvent, type FakeSlack, type FakeSlackCall } from '../test/fakes/fake-slack';
import { BENCH_SECRET } from './load';
import { waitForCall } from './slack-calls';

/** What a mention must say for the bench model to write its answer slowly. */
export const STREAM_WORDS = 'stream bench';
/** The slow answer: 50 pieces 20 ms apart, a one-second answer. */
const CHUNKS = 50;
const CHUNK_MS = 20;
const SHOWN = new Set(['chat.postMessage', 'chat.update']);

/** The bench model's slow answer. */
export function streamedAnswer(): FakeAnswer {
  const chunks = Array.from({ length: CHUNKS }, (_, i) => `word${i} `);
  return { content: chunks.join(''), chunks, chunkDelayMs: CHUNK_MS };
}

/** Figures of the streamed-answer phase. */
export interface StreamedFigures {
  /** The model's first piece of text → the first Slack call showing text, per answer. */
  firstTextMs: number[];
  /** Slack calls that showed one answer (start, appends, stop, or posts and edits), with its thread's session statuses. */
  callsPerAnswer: number[];
  /** Acks of these mentions. */
  ackMs: number[];
}

/**
 * `count` mentions one after another, each answered by a model that takes a second to write
 * it: how soon the first words show after the model sent them, and how many Slack calls the
 * whole answer took.
 */
export async function streamedAnswers(slack: FakeSlack, llm: FakeOpenAi, url: string, tsBase: number, count: number): Promise<StreamedFigures> {
  const figures: StreamedFigures = { firstTextMs: [], callsPerAnswer: [], ackMs: [] };
  for (let i = 0; i < count; i++) {
    const ts = `${tsBase + i}.000300`;
    const channel = `CSTREAM-${tsBase}-${i}`;
    const from = slack.calls.length;
    // The channel makes the words unique across rounds, so the model request below is this one's.
    const ack = await sendEvent(url, BENCH_SECRET, appMentionEvent({ channel, user: 'U_BENCH', text: `<@U_BOT> ${STREAM_WORDS} ${channel}`, ts }));
    figures.ackMs.push(ack.ms);
    const inThread = (c: FakeSlackCall) => c.params.channel === channel && (SHOWN.has(c.method) || c.method.endsWith('Stream'));
    // Agent sessions: `processing` before the answer, `active` after it; they are calls of the answer too.
    const session = (c: FakeSlackCall) => c.method === 'agents.sessions.setStatus' && c.params.channel_id === channel;
    const first = await waitForCall(slack, inThread, 10_000, from);
    await waitForCall(slack, (c) => c.params.channel === channel && (c.method === 'chat.stopStream' || c.method === 'chat.postMessage'), 10_000, from);
    if (slack.calls.slice(from).some(session)) await waitForCall(slack, (c) => session(c) && c.params.status !== 'processing', 10_000, from);
    const request = llm.requests.find((r) => r.prompt.includes(`${STREAM_WORDS} ${channel}`))!;
    // The fake sends its first piece of text one chunk interval after the request arrives.
    figures.firstTextMs.push(first.at - (request.receivedAt + CHUNK_MS));
    figures.callsPerAnswer.push(slack.calls.slice(from).filter((c) => inThread(c) || session(c)).length);
  }
  return figures;
}
