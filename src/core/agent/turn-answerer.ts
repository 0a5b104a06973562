import type { Logger } from '../../logging/logger';
import type { FactLearner } from '../context/fact-learner';
import { MAX_INPUT_CHARS } from '../model/incoming';
import { filesOf } from '../files/read-attachments';
import type { StoredMessage } from '../model/message';
import type { ChatMessage } from '../ports/language-model';
import type { TurnOutcome } from '../ports/metrics';
import type { ThreadReading } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import { userFacingMessage } from '../user-facing-error';
import type { CallRecorder, StartOutcome } from './call-recorder';
import type { LiveAnswer } from './live-answer';
import { takeModelTurn, type ModelTurnAnswer, type ToolOffer } from './model-turn';
import type { TurnReplies } from './turn-replies';

export const NO_MODEL_HELP =
  'No language model is configured, so I can only run explicit commands (try `!help`). ' +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama) to chat.';

/** What a turn a person stopped ends with, after whatever of the answer was shown. */
export const STOPPED_NOTE = '⏹️ Stopped.';

/** The model's own words: people may rate them (👍/👎); help and error notes are not rated. */
const MODEL_ANSWER = { feedback: true } as const;

/** What a turn that asked for tools became; a `duplicate` is counted by the process that started its run. */
const TURN_OF_START: Record<Exclude<StartOutcome['kind'], 'refused'>, TurnOutcome> = { started: 'request', card_failed: 'failed', duplicate: 'ignored' };

/**
 * A person's message, answered: one model turn (model-turn.ts) with the thread, what the
 * conversation remembers and the tools available here. Words alone are the reply, shown as
 * they are written and stored once complete; facts the model asks to remember are stored on
 * the way; other tool calls start a run, whose steps go on as jobs.
 */
export class TurnAnswerer {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { replies: TurnReplies; recorder: CallRecorder; learner: FactLearner },
  ) {}

  /**
   * Answers the message; what the turn became: a `chat` reply, a `request` (a run started),
   * `failed` (the model or the card), or `stopped` (a person stopped it: `stopped` aborted).
   * `before` is the thread as the message found it, when it was read with the insert;
   * otherwise the thread is read now.
   */
  async answer(message: StoredMessage, log: Logger, before: ThreadReading | null = null, stopped?: AbortSignal): Promise<TurnOutcome> {
    if (!this.deps.model) return this.reply(message, NO_MODEL_HELP);
    if (stopped?.aborted) return this.stopped(message, null);
    if (message.text.length > MAX_INPUT_CHARS) {
      return this.reply(message, `That message is ${message.text.length} characters; I read at most ${MAX_INPUT_CHARS}. Please shorten it or attach the details as a file.`);
    }
    const thread = before ? { ...before, history: [...before.history, message] } : await this.deps.messages.readThread(message.where, this.deps.settings.historyLimit);
    // Read afresh for every turn (a turn taken over after a crash too): their bytes are never stored.
    const attached = await filesOf(this.deps, message, log, stopped);
    const ask = (transcript: readonly ChatMessage[], offer: ToolOffer) =>
      takeModelTurn(
        this.deps,
        { purpose: 'turn', thread, transcript, offer, limit: null, where: message.where, recipientUserId: message.author.id, working: { replyTo: message.platformMessageId }, takenCallIds: [], signal: stopped, attached },
        log,
      );
    const first = await ask([], 'tools_and_remember');
    if (first.kind === 'failed') return stopped?.aborted ? this.stopped(message, first) : this.failed(message, first, log);
    const learned = first.remember.length ? await this.parts.learner.learn(message, first.remember, thread.facts) : [];
    if (first.kind === 'calls') {
      // Words streamed before the calls stand in the thread; the run carries on below them.
      await first.live.settle();
      return this.startRun(message, first);
    }
    const words = first.content.trim();
    if (words || !learned.length) return this.show(message, words || '…', first.live);
    // The model only asked to remember: one more turn, without tools, for the words of its answer.
    const after = await ask([{ role: 'assistant', content: null, toolCalls: first.remember }, ...learned], 'none');
    if (after.kind === 'failed') return stopped?.aborted ? this.stopped(message, after) : this.failed(message, after, log);
    return this.show(message, after.content.trim() || '…', after.live);
  }

  /** The model's answer, ended as shown (streamed or posted once), carrying 👍/👎. */
  private async show(message: StoredMessage, body: string, live: LiveAnswer): Promise<TurnOutcome> {
    await this.parts.replies.deliver(message, body, (feedback) => live.finish(body, null, feedback), MODEL_ANSWER);
    return 'chat';
  }

  /** The model failed: said instead of an answer, or after the part of it already shown, which is stored marked partial. */
  private async failed(message: StoredMessage, failure: Extract<ModelTurnAnswer, { kind: 'failed' }>, log: Logger): Promise<TurnOutcome> {
    log.warn({ err: failure.error }, 'model failed');
    const note = userFacingMessage(failure.error);
    if (failure.partial === null) await this.reply(message, note);
    else await this.parts.replies.deliver(message, failure.partial, () => failure.live.fail(`⚠️ Cut short: ${note}`), { metadata: { partial: true } });
    return 'failed';
  }

  /** A person stopped the answer: what was shown stands, ends with a note, and is stored marked stopped. */
  private async stopped(message: StoredMessage, failure: Extract<ModelTurnAnswer, { kind: 'failed' }> | null): Promise<TurnOutcome> {
    const metadata = { stopped: true as const };
    if (failure?.partial == null) await this.parts.replies.reply(message, STOPPED_NOTE, { metadata });
    else await this.parts.replies.deliver(message, failure.partial, () => failure.live.fail(STOPPED_NOTE), { metadata });
    return 'stopped';
  }

  private async startRun(message: StoredMessage, turn: Extract<ModelTurnAnswer, { kind: 'calls' }>): Promise<TurnOutcome> {
    const outcome = await this.parts.recorder.startRun({
      where: message.where,
      requestedBy: message.author,
      triggerMessageId: message.id,
      traceId: message.traceId ?? undefined,
      kind: 'agent',
      said: turn.content.trim() || null,
      usage: turn.usage,
      toolCalls: turn.calls,
    });
    if (outcome.kind === 'refused') return this.reply(message, `I wanted to use my tools for that, but: ${outcome.why} Nothing was run.`);
    return TURN_OF_START[outcome.kind];
  }

  private async reply(message: StoredMessage, body: string): Promise<TurnOutcome> {
    await this.parts.replies.reply(message, body);
    return 'chat';
  }
}
