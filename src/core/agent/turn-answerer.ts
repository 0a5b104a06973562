import type { Logger } from '../../logging/logger';
import type { FactLearner } from '../context/fact-learner';
import { REMEMBER_DEFINITION, splitRememberCalls } from '../context/remember-tool';
import { conversationOf } from '../model/conversation';
import { MAX_INPUT_CHARS } from '../model/incoming';
import type { StoredMessage } from '../model/message';
import type { ChatMessage, Completion, CompletionRequest, LanguageModel, ModelToolCall } from '../ports/language-model';
import type { TurnOutcome } from '../ports/metrics';
import type { ThreadReading } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import { userFacingMessage } from '../user-facing-error';
import { buildPrompt } from './agent-prompt';
import { DEFAULT_LIVE_TIMINGS, LiveAnswer } from './live-answer';
import { callModel } from './model-call';
import { DEFAULT_HISTORY_BUDGET_CHARS } from './run-stepper';
import { toolDefinitions } from './tool-definitions';
import type { StartOutcome, TurnPlanner } from './turn-planner';
import type { TurnReplies } from './turn-replies';

export const NO_MODEL_HELP =
  'No language model is configured, so I can only run explicit commands (try `!help`). ' +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama) to chat.';

/** The model's own words: people may rate them (👍/👎); help and error notes are not rated. */
const MODEL_ANSWER = { feedback: true } as const;

/** What a turn that asked for tools became; a `duplicate` is counted by the process that started its run. */
const TURN_OF_START: Record<Exclude<StartOutcome['kind'], 'refused'>, TurnOutcome> = { started: 'request', card_failed: 'failed', duplicate: 'ignored' };

/** One model call of a turn: counted, timed and logged on the turn's logger. */
type TurnCall = (request: Omit<CompletionRequest, 'purpose'>) => Promise<Completion>;

/**
 * A person's message, answered: one model call with the thread, what the conversation
 * remembers and the tools available here. Words alone are the reply, shown as they are
 * written (live-answer.ts) and stored once complete; facts the model asks to remember are
 * stored on the way; other tool calls start a run, whose steps go on as jobs.
 */
export class TurnAnswerer {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { replies: TurnReplies; planner: TurnPlanner; learner: FactLearner },
  ) {}

  /**
   * Answers the message; what the turn became: a `chat` reply, a `request` (a run started), or
   * `failed` (the model or the card). `before` is the thread as the message found it, when it
   * was read with the insert; otherwise the thread is read now.
   */
  async answer(message: StoredMessage, log: Logger, before: ThreadReading | null = null): Promise<TurnOutcome> {
    const { model } = this.deps;
    if (!model) return this.reply(message, NO_MODEL_HELP);
    if (message.text.length > MAX_INPUT_CHARS) {
      return this.reply(message, `That message is ${message.text.length} characters; I read at most ${MAX_INPUT_CHARS}. Please shorten it or attach the details as a file.`);
    }
    const scope = conversationOf(message.where);
    const { settings } = this.deps;
    const { history, facts, viewing } = before ? { ...before, history: [...before.history, message] } : await this.deps.messages.readThread(message.where, settings.historyLimit);
    const prompt = buildPrompt({ history, facts, viewing, contextBudgetChars: settings.contextBudgetChars, historyBudgetChars: settings.historyBudgetChars ?? DEFAULT_HISTORY_BUDGET_CHARS });
    const complete = this.turnCall(model, log);
    const live = this.liveAnswer(message, log);
    let completion: Completion;
    try {
      completion = await complete({ messages: prompt, tools: [...toolDefinitions(this.deps.tools.list(scope)), REMEMBER_DEFINITION], onText: live.onText });
    } catch (err) {
      return this.failed(message, err, log, live);
    } finally {
      // Text done within the buffer window is posted once, never streamed.
      live.end();
    }
    const { remember, act } = splitRememberCalls(completion.toolCalls);
    const learned = remember.length ? await this.parts.learner.learn(message, remember, facts) : [];
    if (act.length) {
      // Words streamed before the calls stand in the thread; the run carries on below them.
      await live.settle();
      return this.startRun(message, completion, act);
    }
    const words = completion.content.trim();
    if (words || !learned.length) return this.show(message, words || '…', live);
    const after = this.liveAnswer(message, log);
    let answer: string;
    try {
      answer = await this.answerAfterLearning(complete, prompt, remember, learned, after);
    } catch (err) {
      return this.failed(message, err, log, after);
    } finally {
      after.end();
    }
    return this.show(message, answer || '…', after);
  }

  private turnCall(model: LanguageModel, log: Logger): TurnCall {
    return (request) => callModel({ model, metrics: this.deps.metrics, clock: this.deps.clock }, { ...request, purpose: 'turn' }, log);
  }

  private liveAnswer(message: StoredMessage, log: Logger): LiveAnswer {
    const platform = this.deps.platforms.get(message.where.platform);
    return new LiveAnswer(platform, message.where, message.author.id, this.deps.settings.liveAnswer ?? DEFAULT_LIVE_TIMINGS, log, { replyTo: message.platformMessageId });
  }

  /** The model's answer, ended as shown (streamed or posted once), carrying 👍/👎. */
  private async show(message: StoredMessage, body: string, live: LiveAnswer): Promise<TurnOutcome> {
    await this.parts.replies.deliver(message, body, (feedback) => live.finish(body, null, feedback), MODEL_ANSWER);
    return 'chat';
  }

  /** The model failed: said instead of an answer, or after the part of it already shown, which is stored marked partial. */
  private async failed(message: StoredMessage, err: unknown, log: Logger, live: LiveAnswer): Promise<TurnOutcome> {
    log.warn({ err }, 'model failed');
    const note = userFacingMessage(err);
    if (!live.streaming) await this.reply(message, note);
    else await this.parts.replies.deliver(message, live.text.trim(), () => live.fail(`⚠️ Cut short: ${note}`), { metadata: { partial: true } });
    return 'failed';
  }

  /** The model only asked to remember: one more call, without tools, for the words of its answer. */
  private async answerAfterLearning(complete: TurnCall, prompt: readonly ChatMessage[], remember: readonly ModelToolCall[], learned: readonly ChatMessage[], live: LiveAnswer): Promise<string> {
    const completion = await complete({ messages: [...prompt, { role: 'assistant', content: null, toolCalls: remember }, ...learned], onText: live.onText });
    return completion.content.trim();
  }

  private async startRun(message: StoredMessage, completion: Completion, toolCalls: readonly ModelToolCall[]): Promise<TurnOutcome> {
    const outcome = await this.parts.planner.startRun({
      where: message.where,
      requestedBy: message.author,
      triggerMessageId: message.id,
      traceId: message.traceId ?? undefined,
      kind: 'agent',
      said: completion.content.trim() || null,
      usage: completion.usage,
      toolCalls,
    });
    if (outcome.kind === 'refused') return this.reply(message, `I wanted to use my tools for that, but: ${outcome.why} Nothing was run.`);
    return TURN_OF_START[outcome.kind];
  }

  private async reply(message: StoredMessage, body: string): Promise<TurnOutcome> {
    await this.parts.replies.reply(message, body);
    return 'chat';
  }
}
