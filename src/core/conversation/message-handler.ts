import type { Logger } from '../../logging/logger';
import type { Platform } from '../model/conversation';
import type { IncomingMessage } from '../model/incoming';
import type { StoredMessage } from '../model/message';
import { parseCommandText } from '../model/command-text';
import type { HandleMessageOptions } from '../ports/inbound';
import type { CoreDeps } from '../core-deps';
import type { WorkLimiter } from '../work-limiter';
import type { TurnAnswerer } from '../agent/turn-answerer';
import type { CommandHandler } from './command-handler';
import type { TurnClaims } from './turn-claims';

/** How many stale turns one recovery takes; the next takes the rest. */
const RECOVERY_BATCH = 50;

/** Defaults: a turn unclaimed for 15 s is taken over, if younger than 10 minutes. */
export function turnRecovery(settings: CoreDeps['settings']): { leaseMs: number; windowMs: number } {
  return settings.turnRecovery ?? { leaseMs: 15_000, windowMs: 10 * 60_000 };
}

/**
 * A message from a person: stored first (so nothing is lost whatever fails next), then taken
 * as a turn: a command, or the agent's answer. Storing happens at once, outside the turn
 * limiter: a burst waits for the model in memory, but already in Postgres, claimed by this
 * process; a turn this process never answers (it died) is taken over by another.
 */
export class MessageHandler {
  constructor(
    private readonly deps: CoreDeps,
    private readonly parts: { commands: CommandHandler; answerer: TurnAnswerer; turns: WorkLimiter; claims: TurnClaims },
  ) {}

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
    await this.take(message, log);
  }

  /**
   * Takes over the turns other processes claimed and never answered (they died), younger than
   * the recovery window; older ones are marked skipped. Each is answered in the background,
   * in turn with new messages. Returns how many were taken.
   */
  async recover(platforms: readonly Platform[]): Promise<number> {
    const { leaseMs, windowMs } = turnRecovery(this.deps.settings);
    const { claimed, skipped } = await this.deps.messages.claimStaleTurns(leaseMs, windowMs, RECOVERY_BATCH, platforms);
    if (skipped) this.deps.log.warn({ skipped }, 'unanswered turns older than the recovery window skipped');
    for (const message of claimed) {
      const log = this.deps.log.child({ ...message.where, turn: message.id });
      log.info('answering a turn another process left unanswered');
      void this.take(message, log).catch((err: unknown) => log.error({ err }, 'recovered turn failed'));
    }
    return claimed.length;
  }

  /** Answers a stored turn: a new one, or one recovered from a process that died before answering it. */
  async take(message: StoredMessage, log: Logger = this.deps.log.child({ ...message.where, turn: message.id })): Promise<void> {
    this.parts.claims.hold(message.id);
    try {
      await this.parts.turns.run(() => this.turn(message, log));
    } finally {
      this.parts.claims.release(message.id);
    }
  }

  private async turn(message: StoredMessage, log: Logger): Promise<void> {
    const command = parseCommandText(message.text);
    if (!command) return this.parts.answerer.answer(message, log);
    await this.parts.commands.handle({ where: message.where, user: message.author, messageId: message.id, ...command });
    await this.deps.messages.answerTurn(message.id);
  }
}
