import type { Logger } from '../../logging/logger';
import type { FactLearner } from '../context/fact-learner';
import { REMEMBER_DEFINITION, splitRememberCalls } from '../context/remember-tool';
import { conversationOf } from '../model/conversation';
import { MAX_INPUT_CHARS } from '../model/incoming';
import type { StoredMessage } from '../model/message';
import type { ChatMessage, Completion, ModelToolCall } from '../ports/language-model';
import type { CoreDeps } from '../core-deps';
import { userFacingMessage } from '../user-facing-error';
import { buildPrompt } from './agent-prompt';
import { DEFAULT_LIVE_TIMINGS, LiveAnswer } from './live-answer';
import { DEFAULT_HISTORY_BUDGET_CHARS } from './run-stepper';
import { toolDefinitions } from './tool-definitions';
import type { TurnPlanner } from './turn-planner';
import type { TurnReplies } from './turn-replies';

export const NO_MODEL_HELP =
  'No language model is configured, so I can only run explicit commands (try `!help`). ' +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama) to chat.';

/**
 * A person's message, answered: one model call with the thread, what the conversation
 * remembers and the tools available here. Words alone are the reply, shown as they are
 * written (live-answer.ts) and stored once complete; facts the model asks to remember are
 * stored on the way; other tool calls start a run, whose steps go on as jobs.
 */
export class TurnAnswerer {
  constructor(
    private readonly deps: CoreDeps,
    private readonly parts: { replies: TurnReplies; planner: TurnPlanner; learner: FactLearner },
  ) {}

  async answer(message: StoredMessage, log: Logger): Promise<void> {
    if (!this.deps.model) return this.reply(message, NO_MODEL_HELP);
    if (message.text.length > MAX_INPUT_CHARS) {
      return this.reply(message, `That message is ${message.text.length} characters; I read at most ${MAX_INPUT_CHARS}. Please shorten it or attach the details as a file.`);
    }
    const scope = conversationOf(message.where);
    const { settings } = this.deps;
    const { history, facts } = await this.deps.messages.readThread(message.where, settings.historyLimit);
    const prompt = buildPrompt({ history, facts, contextBudgetChars: settings.contextBudgetChars, historyBudgetChars: settings.historyBudgetChars ?? DEFAULT_HISTORY_BUDGET_CHARS });
    const live = this.liveAnswer(message, log);
    let completion: Completion;
    try {
      completion = await this.deps.model.complete({ purpose: 'turn', messages: prompt, tools: [...toolDefinitions(this.deps.tools.list(scope)), REMEMBER_DEFINITION], onText: live.onText });
    } catch (err) {
      return this.failed(message, err, log, live);
    } finally {
      // Text done within the buffer window is posted once, never streamed.
      live.end();
    }
    const { remember, act } = splitRememberCalls(completion.toolCalls);
    const learned = remember.length ? await this.parts.learner.learn(message, remember, facts) : [];
    if (act.length) {
      await this.settle(live, log);
      return this.startRun(message, completion, act);
    }
    const words = completion.content.trim();
    if (words || !learned.length) return this.show(message, words || '…', live);
    const after = this.liveAnswer(message, log);
    let answer: string;
    try {
      answer = await this.answerAfterLearning(prompt, remember, learned, after);
    } catch (err) {
      return this.failed(message, err, log, after);
    } finally {
      after.end();
    }
    return this.show(message, answer || '…', after);
  }

  private liveAnswer(message: StoredMessage, log: Logger): LiveAnswer {
    const platform = this.deps.platforms.get(message.where.platform);
    return new LiveAnswer(platform, message.where, message.author.id, this.deps.settings.liveAnswer ?? DEFAULT_LIVE_TIMINGS, log);
  }

  private async show(message: StoredMessage, body: string, live: LiveAnswer): Promise<void> {
    await this.parts.replies.deliver(message, body, () => live.finish(body));
  }

  /** Words streamed before tool calls stand in the thread as they are; the run carries on below them. */
  private async settle(live: LiveAnswer, log: Logger): Promise<void> {
    try {
      await live.settle();
    } catch (err) {
      log.warn({ err }, 'streamed words before tool calls not ended');
    }
  }

  /** The model failed: said instead of an answer, or after the part of it already shown, which is stored marked partial. */
  private async failed(message: StoredMessage, err: unknown, log: Logger, live: LiveAnswer): Promise<void> {
    log.warn({ err }, 'model failed');
    const note = userFacingMessage(err);
    if (!live.streaming) return this.reply(message, note);
    await this.parts.replies.deliver(message, live.text.trim(), () => live.fail(`⚠️ Cut short: ${note}`), { partial: true });
  }

  /** The model only asked to remember: one more call, without tools, for the words of its answer. */
  private async answerAfterLearning(prompt: readonly ChatMessage[], remember: readonly ModelToolCall[], learned: readonly ChatMessage[], live: LiveAnswer): Promise<string> {
    const completion = await this.deps.model!.complete({ purpose: 'turn', messages: [...prompt, { role: 'assistant', content: null, toolCalls: remember }, ...learned], onText: live.onText });
    return completion.content.trim();
  }

  private async startRun(message: StoredMessage, completion: Completion, toolCalls: readonly ModelToolCall[]): Promise<void> {
    const outcome = await this.parts.planner.startRun({
      where: message.where,
      requestedBy: message.author,
      triggerMessageId: message.id,
      kind: 'agent',
      said: completion.content.trim() || null,
      usage: completion.usage,
      toolCalls,
    });
    if (outcome.kind === 'refused') await this.reply(message, `I wanted to use my tools for that, but: ${outcome.why} Nothing was run.`);
  }

  private async reply(message: StoredMessage, body: string): Promise<void> {
    await this.parts.replies.reply(message, body);
  }
}
