import { text } from '../model/card';
import { conversationOf } from '../model/conversation';
import { MAX_INPUT_CHARS, MAX_STORED_CHARS, textToStore, type IncomingMessage, type StoredCut } from '../model/incoming';
import { epochMs } from '../ports/clock';
import type { Accepted, HandleMessageOptions } from '../ports/inbound';
import { StoreUnavailableError } from '../errors';
import type { Logger } from '../../logging/logger';
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

/** How long storing a message may take when CoreSettings.storeTimeoutMs is unset. */
const DEFAULT_STORE_TIMEOUT_MS = 2000;

const SETTLED: Promise<void> = Promise.resolve();

/** A message the storing part has just written, and how its text was cut. */
interface NewlyStored {
  readonly outcome: 'stored';
  readonly message: StoredMessage;
  readonly cut: StoredCut | null;
}

/** What the storing part did with a message. */
type Stored = NewlyStored | { readonly outcome: 'duplicate' | 'ignored' };

const count = (n: number): string => n.toLocaleString('en-US');

export const NO_MODEL_HELP =
  'No language model is configured, so I can only run explicit commands (try `!help`). ' +
  'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a local server such as Ollama) to chat.';

/**
 * A message from a person: stored first (so nothing is lost whatever fails next), then
 * a command, a chat reply, or a proposed request. Storing happens at once, outside the
 * turn limiter, and is what the platform's acknowledgement waits for: a burst waits for
 * the model in memory, but already in Postgres.
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

  /** Stores the message within the store deadline and starts its turn; see Core.acceptMessage. */
  async accept(incoming: IncomingMessage, options: HandleMessageOptions = {}): Promise<Accepted> {
    const log = this.deps.log.child({ ...incoming.where, messageId: incoming.messageId });
    const stored = await this.storeInTime(incoming, options, log);
    if (stored.outcome !== 'stored') return { outcome: stored.outcome, turn: SETTLED };
    return { outcome: 'stored', turn: this.startTurn(stored, options, log) };
  }

  /** Stores, then waits for the turn: for the console and tests. */
  async handle(incoming: IncomingMessage, options: HandleMessageOptions = {}): Promise<void> {
    await (await this.accept(incoming, options)).turn;
  }

  /**
   * {@link store}, failing with StoreUnavailableError once the deadline passes. An insert
   * that commits after that still starts its turn: the platform's redelivery will find the
   * message stored and stop there, so nobody else would answer it.
   */
  private async storeInTime(incoming: IncomingMessage, options: HandleMessageOptions, log: Logger): Promise<Stored> {
    const timeoutMs = this.deps.settings.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    const storing = this.store(incoming, options, log);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const first = await Promise.race([storing, deadline]).finally(() => clearTimeout(timer));
    if (first !== 'late') return first;
    storing.then(
      (late) => {
        if (late.outcome !== 'stored') return;
        log.warn({ timeoutMs }, 'message stored after the deadline; answering it anyway');
        void this.startTurn(late, options, log);
      },
      (err: unknown) => log.debug({ err }, 'a store that missed its deadline failed as well'),
    );
    throw new StoreUnavailableError(`the database did not store the message within ${timeoutMs} ms`, { timeoutMs });
  }

  /** The storing part: the one insert (a redelivery finds its row taken), text cut to what is stored. */
  private async store(incoming: IncomingMessage, options: HandleMessageOptions, log: Logger): Promise<Stored> {
    if (options.onlyKnownThread && !(await this.deps.messages.threadExists(incoming.where))) {
      log.debug('message in a thread the bot is not part of ignored');
      return { outcome: 'ignored' };
    }
    const { text, cut } = textToStore(incoming.text);
    const { message, isNew } = await this.deps.messages.appendMessage({
      where: incoming.where,
      platformMessageId: incoming.messageId,
      author: incoming.author,
      role: 'user',
      type: 'text',
      text,
      metadata: cut ? { cut } : {},
    });
    if (!isNew) {
      log.info('redelivered message ignored');
      return { outcome: 'duplicate' };
    }
    if (cut) log.warn({ cut }, 'over-long message stored cut');
    return { outcome: 'stored', message, cut };
  }

  /** The hand-off: the author's name filled in when asked for, then a turn in order of arrival. Never rejects. */
  private startTurn(stored: NewlyStored, options: HandleMessageOptions, log: Logger): Promise<void> {
    const { lookUpAuthorName } = options;
    // Looked up while the message waits for its turn, not inside it: a turn slot is a database connection's worth of work.
    const named = lookUpAuthorName ? this.withAuthorName(stored.message, lookUpAuthorName, log) : Promise.resolve(stored.message);
    return this.turns
      .run(async () => {
        const message = await named;
        if (stored.cut) return this.refuseCut(message, stored.cut);
        const command = parseCommandText(message.text);
        return command ? this.commands.handle({ where: message.where, user: message.author, ...command }) : this.converse(message, log);
      })
      .catch((err: unknown) => log.error({ err }, 'turn failed'));
  }

  /** The message with its author's looked-up name, written to its row when it differs; as it was when the lookup fails. */
  private async withAuthorName(message: StoredMessage, lookUp: () => Promise<string>, log: Logger): Promise<StoredMessage> {
    try {
      const name = await lookUp();
      if (name === message.author.name) return message;
      await this.deps.messages.setAuthorName(message.id, name);
      return { ...message, author: { ...message.author, name } };
    } catch (err) {
      log.warn({ err }, 'could not fill in the author name; keeping the stand-in');
      return message;
    }
  }

  /** Over-long messages come from unusual or forged senders: say so, and neither run nor read them. */
  private refuseCut(message: StoredMessage, cut: StoredCut): Promise<void> {
    const isCommand = parseCommandText(message.text) !== null;
    const size = `${isCommand ? 'That command' : 'That message'} is ${count(cut.originalChars)} characters long and I take at most ${count(MAX_STORED_CHARS)}`;
    return this.reply(message, `${size}, so I did not ${isCommand ? 'run' : 'read'} it. Please shorten it or attach the details as a file.`);
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
