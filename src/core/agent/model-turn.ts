import type { Logger } from '../../logging/logger';
import { REMEMBER_DEFINITION, splitRememberCalls } from '../context/remember-tool';
import { SystemError } from '../errors';
import type { BudgetLimit, TokenUsage } from '../model/agent-run';
import { conversationOf, type ThreadRef } from '../model/conversation';
import type { AnswerStream } from '../ports/chat-platform';
import type { ChatMessage, Completion, ModelToolCall, ToolDefinition } from '../ports/language-model';
import type { ThreadReading } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import type { AttachedContent } from '../files/read-attachments';
import type { Reservation } from '../budgets/token-budgets';
import { buildPrompt } from './agent-prompt';
import { limitNote } from './budgets';
import { withUniqueIds } from './call-ids';
import { DEFAULT_LIVE_TIMINGS, LiveAnswer } from './live-answer';
import { callModel } from './model-call';
import { toolDefinitions } from './tool-definitions';
import { envPolicy } from '../policy/env-policy';
import { visibleTools } from '../policy/tool-policy';

/** Default characters of thread history in a prompt. */
export const DEFAULT_HISTORY_BUDGET_CHARS = 12_000;

/** The tools a model turn offers: this channel's and `remember` (a person's message), this channel's (a run), or none (words only). */
export type ToolOffer = 'tools_and_remember' | 'tools' | 'none';

/** One model turn: what it is shown, what it is offered, and where its words show as they are written. */
export interface ModelTurnRequest {
  /** `turn`: answering a person's message; `step`: a run's later turn. Labels its logs and metrics. */
  readonly purpose: 'turn' | 'step';
  readonly thread: ThreadReading;
  /** What follows the thread: a run's own turns and results, or the facts the model just asked to remember. */
  readonly transcript: readonly ChatMessage[];
  readonly offer: ToolOffer;
  /** A budget the run has spent: the model is told so and offered no tools. */
  readonly limit: BudgetLimit | null;
  readonly where: ThreadRef;
  /** Whom the streamed answer is for. */
  readonly recipientUserId: string;
  /** The message a working hint marks; null where something else shows the bot at work (a run's progress). */
  readonly working: { readonly replyTo: string | null } | null;
  /** The ids of the run's calls so far: a new call never reuses one (call-ids.ts). */
  readonly takenCallIds: readonly string[];
  /** Aborts the call (a Cancel, a lost lease). */
  readonly signal?: AbortSignal;
  /** Where the words go as they are written when not a stream of their own: a run's task stream. */
  readonly answerInto?: AnswerStream | null;
  /** The files of the message a person's turn answers, as read for it. */
  readonly attached?: AttachedContent | null;
}

/** What the model's words were, and the answer on its way to the thread, to be ended by the caller. */
interface Said {
  readonly content: string;
  readonly usage: TokenUsage | null;
  readonly live: LiveAnswer;
}

/**
 * A model turn's result. `words`: an answer, without calls to act on (perhaps empty words);
 * `calls`: tool calls to store, perhaps with words; both with the `remember` calls to learn
 * from, when offered. `failed`: the model threw; `partial` is the text already shown when the
 * answer was streaming, which then stands in the thread and is ended through `live`.
 */
export type ModelTurnAnswer =
  | (Said & { readonly kind: 'words'; readonly remember: readonly ModelToolCall[] })
  | (Said & { readonly kind: 'calls'; readonly calls: readonly ModelToolCall[]; readonly remember: readonly ModelToolCall[] })
  | { readonly kind: 'failed'; readonly error: unknown; readonly partial: string | null; readonly live: LiveAnswer };

/**
 * Every model turn, the first of a person's message and each of a run's: the prompt (the
 * system message with what the conversation remembers, the thread, the transcript since, a
 * budget's note), one metered model call whose words show as they are written (live-answer.ts),
 * and the answer sorted into words, calls and `remember` calls, each call with an id of its own.
 */
export async function takeModelTurn(deps: WiredDeps, request: ModelTurnRequest, log: Logger): Promise<ModelTurnAnswer> {
  const { settings } = deps;
  const messages = turnPrompt(deps, request);
  const live = new LiveAnswer(deps.platforms.get(request.where.platform), request.where, request.recipientUserId, settings.liveAnswer ?? DEFAULT_LIVE_TIMINGS, log, request.working, request.answerInto);
  let completion: Completion;
  let reservation: Reservation | null = null;
  try {
    if (!deps.model) throw new SystemError('no_model', 'a model turn was asked for without a language model');
    // Refused here, before the model is asked, when the day's budget is spent (docs/policy.md).
    reservation = await deps.tokens.reserve(request.where, request.recipientUserId, promptChars(messages));
    const metered = { model: deps.model, metrics: deps.metrics, clock: deps.clock };
    completion = await callModel(metered, { purpose: request.purpose, messages, tools: await offeredTools(deps, request), signal: request.signal, onText: live.onText }, log);
    // An aborted stream may simply end (the SDK does not always throw): cut short all the same.
    if (request.signal?.aborted) throw request.signal.reason;
  } catch (error) {
    await settle(deps, reservation, request, null, log);
    return { kind: 'failed', error, partial: live.streaming ? live.text.trim() : null, live };
  } finally {
    // Text done within the buffer window is posted once, never streamed.
    live.end();
  }
  await settle(deps, reservation, request, completion.usage, log);
  return sortAnswer(completion, request, live);
}

/** Counts what the call used; a counter that cannot be written is logged, never a reason to lose the answer. */
async function settle(deps: WiredDeps, reservation: Reservation | null, request: ModelTurnRequest, usage: TokenUsage | null, log: Logger): Promise<void> {
  try {
    await deps.tokens.settle(reservation, request.where, request.recipientUserId, usage, log);
  } catch (err) {
    log.error({ err, held: reservation?.held }, 'could not settle a model call against its budget');
  }
}

/** The characters of a prompt's words and call arguments, the base of its reservation's estimate (attached data is not text to count). */
function promptChars(messages: readonly ChatMessage[]): number {
  const callChars = (m: ChatMessage) => (m.role === 'assistant' ? (m.toolCalls ?? []).reduce((sum, c) => sum + c.arguments.length, 0) : 0);
  return messages.reduce((sum, m) => sum + (m.content?.length ?? 0) + callChars(m), 0);
}

function turnPrompt(deps: WiredDeps, request: ModelTurnRequest): ChatMessage[] {
  const { settings } = deps;
  const { history, facts, viewing } = request.thread;
  const historyBudgetChars = settings.historyBudgetChars ?? DEFAULT_HISTORY_BUDGET_CHARS;
  const prompt = buildPrompt({ history, facts, viewing, contextBudgetChars: settings.contextBudgetChars, historyBudgetChars, attached: request.attached });
  if (!request.limit) return [...prompt, ...request.transcript];
  const note = `${limitNote(request.limit, settings.agent)} Answer the user now in words, without calling tools.`;
  return [...prompt, ...request.transcript, { role: 'system', content: note }];
}

function offersTools(request: ModelTurnRequest): boolean {
  return request.offer !== 'none' && !request.limit;
}

/** The tools of the channel that no rule hides there; the rules come from the process's cache (no statement). */
async function offeredTools(deps: WiredDeps, request: ModelTurnRequest): Promise<ToolDefinition[]> {
  if (!offersTools(request)) return [];
  const scope = conversationOf(request.where);
  const tools = toolDefinitions(visibleTools(deps.tools.list(scope), scope, await deps.policyCache.rulesIn(scope), envPolicy(deps.settings)));
  return request.offer === 'tools_and_remember' ? [...tools, REMEMBER_DEFINITION] : tools;
}

/** Calls to tools that were not offered are not acted on: the answer is its words. */
function sortAnswer(completion: Completion, request: ModelTurnRequest, live: LiveAnswer): ModelTurnAnswer {
  const said: Said = { content: completion.content, usage: completion.usage, live };
  if (!offersTools(request)) return { kind: 'words', ...said, remember: [] };
  const calls = withUniqueIds(completion.toolCalls, request.takenCallIds);
  const { remember, act } = request.offer === 'tools_and_remember' ? splitRememberCalls(calls) : { remember: [], act: calls };
  return act.length ? { kind: 'calls', ...said, calls: act, remember } : { kind: 'words', ...said, remember };
}
