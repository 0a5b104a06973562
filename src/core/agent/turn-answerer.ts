import type { Logger } from '../../logging/logger';
import { conversationOf } from '../model/conversation';
import { MAX_INPUT_CHARS } from '../model/incoming';
import type { StoredMessage } from '../model/message';
import { epochMs } from '../ports/clock';
import type { TurnSnapshot } from '../ports/turn-listener';
import type { CoreDeps } from '../core-deps';
import { userFacingMessage } from '../user-facing-error';
import { buildPrompt } from './agent-prompt';
import { DEFAULT_HISTORY_BUDGET_CHARS } from './run-stepper';
import { toolDefinitions } from './tool-definitions';
import type { TurnPlanner } from './turn-planner';
import type { TurnReplies } from './turn-replies';

export const NO_MODEL_HELP =
  'No language model is configured, so I can only run explicit commands (try `!help`). ' +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama) to chat.';

/**
 * A person's message, answered: one model call with the thread, what the conversation
 * remembers and the tools available here. Words alone are the reply; tool calls start a run,
 * whose steps go on as jobs.
 */
export class TurnAnswerer {
  constructor(
    private readonly deps: CoreDeps,
    private readonly parts: { replies: TurnReplies; planner: TurnPlanner },
  ) {}

  async answer(message: StoredMessage, log: Logger): Promise<void> {
    if (!this.deps.model) return this.reply(message, NO_MODEL_HELP);
    if (message.text.length > MAX_INPUT_CHARS) {
      return this.reply(message, `That message is ${message.text.length} characters; I read at most ${MAX_INPUT_CHARS}. Please shorten it or attach the details as a file.`);
    }
    const scope = conversationOf(message.where);
    const { settings } = this.deps;
    const readAt = epochMs(this.deps.clock);
    const [history, facts] = await Promise.all([this.deps.messages.recentMessages(message.where, settings.historyLimit), this.deps.contexts.retrieveContext(scope)]);
    const seen: TurnSnapshot = { history, facts, readAt };
    let completion;
    try {
      completion = await this.deps.model.complete({
        purpose: 'turn',
        messages: buildPrompt({ history, facts, contextBudgetChars: settings.contextBudgetChars, historyBudgetChars: settings.historyBudgetChars ?? DEFAULT_HISTORY_BUDGET_CHARS }),
        tools: toolDefinitions(this.deps.tools.list(scope)),
      });
    } catch (err) {
      log.warn({ err }, 'model failed');
      return this.reply(message, userFacingMessage(err), seen);
    }
    if (completion.toolCalls.length === 0) return this.reply(message, completion.content.trim() || '…', seen);
    const outcome = await this.parts.planner.startRun({
      where: message.where,
      requestedBy: message.author,
      triggerMessageId: message.id,
      kind: 'agent',
      said: completion.content.trim() || null,
      usage: completion.usage,
      toolCalls: completion.toolCalls,
    });
    if (outcome.kind === 'refused') return this.reply(message, `I wanted to use my tools for that, but: ${outcome.why} Nothing was run.`, seen);
    this.deps.onTurn?.({ user: message, reply: null, seen });
  }

  private async reply(message: StoredMessage, body: string, seen?: TurnSnapshot): Promise<void> {
    const stored = await this.parts.replies.reply(message, body);
    this.deps.onTurn?.({ user: message, reply: stored, seen });
  }
}
