import { APPROVE_ACTION } from '../src/core/model/action-ids';
import { chatAnswer, toolAnswer, type FakeAnswer, type RecordedCompletion } from '../test/fakes/fake-openai';
import { appMentionEvent, sendEvent, sendInteraction, type FakeSlack, type FakeSlackCall } from '../test/fakes/fake-slack';
import type { BenchDatabase } from './bench-database';
import { BENCH_SECRET } from './load';
import { waitForCall } from './slack-calls';
import { STREAM_WORDS, streamedAnswer } from './streamed-answers';

/** What a mention must say for the bench model to answer with a tool call instead of words. */
const AGENT_WORDS = 'agent bench';
/** The final answer the bench model gives once it has read its tool's result. */
export const FINAL_ANSWER = 'Done: lift-off.';
/** How long after a card is posted its Approve button is clicked. */
const READING_MS = 200;
/** Steps of one run: the model turn that asks (the card), the approved call, the model turn that answers. */
const STEPS_PER_RUN = 3;

/**
 * The bench model: a mention asking for the agent calls `countdown` (one tick, 0 ms), which
 * needs approval; once the call's result comes back it answers in words. A mention asking for
 * a stream gets a one-second answer in 50 pieces. Every other call is an ordinary chat answer.
 */
export function benchModel(delayMs: number) {
  return (request: RecordedCompletion): FakeAnswer => {
    const last = request.body.messages.at(-1);
    if (last?.role === 'tool') return { ...chatAnswer(FINAL_ANSWER), delayMs };
    if (last?.content?.includes(AGENT_WORDS)) return { ...toolAnswer([{ name: 'countdown', args: { steps: 1, delayMs: 0 } }]), delayMs };
    if (last?.content?.includes(STREAM_WORDS)) return { ...streamedAnswer(), delayMs };
    return { ...chatAnswer('ok'), delayMs };
  };
}

/** Figures of the agent-run phase. */
export interface AgentRunFigures {
  /** Click on Approve → the model's final answer posted, per run. */
  approveToAnswerMs: number[];
  /** Click on Approve → the first progress message or edit, per run. */
  approveToProgressMs: number[];
  /** SQL statements of the whole phase (mentions, cards, decisions, steps, progress, results) per step; NaN without pg_stat_statements. */
  sqlPerStep: number;
}

/**
 * `count` agent runs one after another, each a mention → a card for the gated call → a click
 * on Approve → the call runs → the model's final answer. Every statement of the phase counts
 * (the job queue's and the sweeps' too), divided by the runs' steps.
 */
export async function agentRuns(slack: FakeSlack, db: BenchDatabase, dbUrl: string, url: string, tsBase: number, count: number): Promise<AgentRunFigures> {
  const figures: AgentRunFigures = { approveToAnswerMs: [], approveToProgressMs: [], sqlPerStep: Number.NaN };
  const counting = await db.resetStatements(dbUrl);
  for (let i = 0; i < count; i++) {
    const ts = `${tsBase + i}.000200`;
    const channel = `CAGENT-${tsBase}-${i}`;
    await sendEvent(url, BENCH_SECRET, appMentionEvent({ channel, user: 'U_BENCH', text: `<@U_BOT> ${AGENT_WORDS} ${i}`, ts }));
    const isCard = (c: FakeSlackCall) => c.method === 'chat.postMessage' && c.params.thread_ts === ts && Boolean(c.params.blocks);
    await waitForCall(slack, isCard, 10_000);
    // The last post of the card: a post the SDK retried after a slow answer leaves the first one orphaned.
    const card = slack.calls.filter(isCard).at(-1)!;
    // A person reads a card before clicking; the bot records the card's ts once Slack has answered the post.
    await new Promise((r) => setTimeout(r, READING_MS));
    const clickedAt = Date.now();
    const click = slack.blockActionPayload({ channel, user: 'U_BENCH', actionId: APPROVE_ACTION, value: approveValue(card), messageTs: String(card.answer?.ts), threadTs: ts });
    await sendInteraction(url, BENCH_SECRET, click);
    // Progress: the edited message's first post, or (agent sessions) the stream of the run's task cards.
    const progress = await waitForCall(slack, (c) => c.at >= clickedAt && c.params.thread_ts === ts && (String(c.params.text ?? '').startsWith('Working') || (c.method === 'chat.startStream' && c.params.chunks !== undefined)), 10_000);
    // The answer: posted, or the end of the task stream it is written into.
    const answer = await waitForCall(slack, (c) => c.at >= clickedAt && c.params.channel === channel && ((c.method === 'chat.postMessage' && c.params.text === FINAL_ANSWER) || c.method === 'chat.stopStream'), 10_000);
    figures.approveToProgressMs.push(progress.at - clickedAt);
    figures.approveToAnswerMs.push(answer.at - clickedAt);
  }
  if (counting) figures.sqlPerStep = (await db.statements(dbUrl)) / (count * STEPS_PER_RUN);
  if (counting && process.env.BENCH_SQL_DUMP) console.table(await db.topStatements(dbUrl));
  return figures;
}

function approveValue(card: FakeSlackCall): string {
  for (const block of card.params.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    const button = block.elements?.find((e) => e.action_id === APPROVE_ACTION);
    if (button?.value) return button.value;
  }
  throw new Error('the card has no Approve button');
}
