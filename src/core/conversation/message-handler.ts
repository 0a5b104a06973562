import { text } from '../model/card';
import { conversationOf } from '../model/conversation';
import { MAX_INPUT_CHARS, type IncomingMessage } from '../model/incoming';
import { epochMs } from '../ports/clock';
import type { HandleMessageOptions } from '../ports/inbound';
import type { TurnSnapshot } from '../ports/turn-listener';
import type { StoredMessage } from '../model/message';
import type { CoreDeps } from '../core-deps';
import { detectIntent } from '../intent/detect-intent';
import type { Intent } from '../intent/intent';
import { checkPlan } from '../requests/check-plan';
import type { RequestService } from '../requests/request-service';
import type { CommandHandler } from './command-handler';
import { Outbox } from './outbox';
import type { WorkLimiter } from '../work-limiter';
import { parseCommandText } from '../model/command-text';
import { userFacingMessage } from './user-facing-error';

export const NO_MODEL_HELP =
  'No language model is configured, so I can only run explicit commands (try `!help`). ' +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama) to chat.';

/**
 * A message from a person: stored first (so nothing is lost whatever fails next), then
 * a command, a chat reply, or a proposed request. Storing happens at once, outside the
 * turn limiter: a burst waits for the model in memory, but already in Postgres.
 */
export class MessageHandler {
  private readonly outbox: Outbox;

  constructor(
    private readonly deps: CoreDeps,
    private readonly requests: RequestService,
    private readonly commands: CommandHandler,
    private readonly turns: WorkLimiter,
  ) {
    this.outbox = new Outbox(deps.platforms, deps.messages, deps.log);
  }

  async handle(incoming: IncomingMessage, options: HandleMessageOptions = {}): Promise<void> {
    const log = this.deps.log.child({ ...incoming.where, messageId: incoming.messageId });
    if (options.onlyKnownThread && !(await this.deps.messages.threadExists(incoming.where))) {
      log.debug('message in a thread the bot is not part of ignored');
      return;
    }
    const { message, isNew } = await this.deps.messages.appendMessage({
      where: incoming.where,
      platformMessageId: incoming.messageId,
      author: incoming.author,
      role: 'user',
      type: 'text',
      text: incoming.text,
      metadata: {},
    });
    if (!isNew) {
      log.info('redelivered message ignored');
      return;
    }
    const command = parseCommandText(incoming.text);
    await this.turns.run(() =>
      command ? this.commands.handle({ where: incoming.where, user: incoming.author, ...command }) : this.converse(message, log),
    );
  }

  private async converse(message: StoredMessage, log: CoreDeps['log']): Promise<void> {
    const { where } = message;
    if (!this.deps.model) return this.reply(message, NO_MODEL_HELP);
    if (message.text.length > MAX_INPUT_CHARS) {
      return this.reply(message, `That message is ${message.text.length} characters; I read at most ${MAX_INPUT_CHARS}. Please shorten it or attach the details as a file.`);
    }
    let intent: Intent;
    let seen: TurnSnapshot;
    try {
      ({ intent, seen } = await this.intentOf(message));
    } catch (err) {
      log.warn({ err }, 'intent detection failed');
      return this.reply(message, userFacingMessage(err));
    }
    if (intent.kind === 'chat') return this.reply(message, intent.reply, seen);
    const problems = intent.unreadableArgs.map((u) => `${u.tool}: ${u.error}`);
    const plan = checkPlan(intent.actions, intent.destructive, this.deps.tools, conversationOf(where));
    if (problems.length || !plan.ok) {
      const all = [...problems, ...(plan.ok ? [] : plan.problems)];
      log.info({ problems: all }, 'model proposed an invalid plan');
      return this.reply(message, `I wanted to propose "${intent.summary}", but the plan was not valid: ${all.join('; ')}. Nothing was run.`, seen);
    }
    await this.requests.propose(where, message.author, intent.summary, plan.actions, plan.destructive);
    this.deps.onTurn?.({ user: message, reply: null, seen });
  }

  private async intentOf(message: StoredMessage): Promise<{ intent: Intent; seen: TurnSnapshot }> {
    const scope = conversationOf(message.where);
    const readAt = epochMs(this.deps.clock);
    const [history, facts] = await Promise.all([
      this.deps.messages.recentMessages(message.where, this.deps.settings.historyLimit),
      this.deps.contexts.retrieveContext(scope),
    ]);
    const intent = await detectIntent(this.deps.model!, {
      history: history.filter((m) => m.type === 'text'),
      context: facts,
      contextBudgetChars: this.deps.settings.contextBudgetChars,
      tools: this.deps.tools.list(scope),
    });
    return { intent, seen: { history, facts, readAt } };
  }

  private async reply(message: StoredMessage, body: string, seen?: TurnSnapshot): Promise<void> {
    const { stored } = await this.outbox.say(message.where, text(body), 'text', {});
    this.deps.onTurn?.({ user: message, reply: stored, seen });
  }
}
