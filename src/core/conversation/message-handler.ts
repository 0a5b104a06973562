import type { Logger } from '../../logging/logger';
import { MAX_STORED_CHARS, type IncomingMessage, type StoredCut } from '../model/incoming';
import type { Platform } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import { parseCommandText } from '../model/command-text';
import { newTraceId } from '../model/trace-id';
import { titleOf } from '../thread-sessions';
import type { Accepted, HandleMessageOptions } from '../ports/inbound';
import { epochMs } from '../ports/clock';
import type { TurnOutcome } from '../ports/metrics';
import type { CoreDeps, WiredDeps } from '../core-deps';
import type { WorkLimiter } from '../work-limiter';
import type { TurnAnswerer } from '../agent/turn-answerer';
import type { TurnReplies } from '../agent/turn-replies';
import type { CommandHandler } from './command-handler';
import type { AssistantThreadTurns } from './assistant-thread-turns';
import { MessageIntake, type NewlyStored } from './message-intake';
import type { TurnClaims } from './turn-claims';

/** How many stale turns one recovery takes; the next takes the rest. */
const RECOVERY_BATCH = 50;

const SETTLED: Promise<void> = Promise.resolve();

const count = (n: number): string => n.toLocaleString('en-US');

/** Defaults: a turn unclaimed for 15 s is taken over, if younger than 10 minutes. */
export function turnRecovery(settings: CoreDeps['settings']): { leaseMs: number; windowMs: number } {
  return settings.turnRecovery ?? { leaseMs: 15_000, windowMs: 10 * 60_000 };
}

/** What a message's turns need. */
export interface TurnParts {
  readonly commands: CommandHandler;
  readonly answerer: TurnAnswerer;
  readonly replies: TurnReplies;
  readonly turns: WorkLimiter;
  readonly claims: TurnClaims;
  readonly assistantThreads: AssistantThreadTurns;
}

/**
 * A message from a person: stored first (so nothing is lost whatever fails next, and the
 * platform is acknowledged only then), then taken as a turn: a command, or the agent's
 * answer. Turns wait for a slot in memory, but already in Postgres and claimed by this
 * process; a turn this process never answers (it died) is taken over by another.
 */
export class MessageHandler {
  private readonly intake: MessageIntake;

  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: TurnParts,
  ) {
    this.intake = new MessageIntake(deps, (stored, log) => void this.startTurn(stored, {}, log));
  }

  /** Stores the message within the store deadline and starts its turn; see Core.acceptMessage. */
  async accept(incoming: IncomingMessage, options: HandleMessageOptions = {}): Promise<Accepted> {
    // The turn's trace id, stored with the message for whichever process answers it.
    const traceId = newTraceId();
    const log = this.deps.log.child({ ...incoming.where, messageId: incoming.messageId, traceId });
    const arrived = epochMs(this.deps.clock);
    const stored = await this.intake.store(incoming, traceId, options, log);
    if (stored.outcome === 'ignored') this.turnEnded(incoming.where.platform, 'ignored', arrived);
    if (stored.outcome !== 'stored') return { outcome: stored.outcome, turn: SETTLED };
    return { outcome: 'stored', turn: this.startTurn(stored, options, log).then(() => undefined) };
  }

  /** Stores, then waits for the turn: for the console and tests. */
  async handle(incoming: IncomingMessage, options: HandleMessageOptions = {}): Promise<void> {
    await (await this.accept(incoming, options)).turn;
  }

  /**
   * A message the core posted itself on its author's behalf (a schedule's firing): stored as
   * theirs, without the store deadline (no platform waits on it), and answered like any other.
   * Resolves with what its turn became, or `duplicate` when it was stored before.
   */
  async takeOwn(incoming: IncomingMessage): Promise<TurnOutcome | 'duplicate'> {
    const traceId = newTraceId();
    const log = this.deps.log.child({ ...incoming.where, messageId: incoming.messageId, traceId });
    const stored = await this.intake.insert(incoming, traceId, {}, log);
    if (stored.outcome !== 'stored') return 'duplicate';
    return this.startTurn(stored, {}, log);
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
      const log = this.deps.log.child({ ...message.where, turn: message.id, traceId: message.traceId });
      log.info('answering a turn another process left unanswered');
      void this.startTurn({ outcome: 'stored', message, cut: cutOf(message), before: null }, {}, log);
    }
    return claimed.length;
  }

  /**
   * The hand-off: the author's name filled in when asked for, then the turn in order of arrival,
   * its claim kept meanwhile (a claim renewal that finds the turn stopped aborts it). A turn the
   * model answers shows its thread `processing` from now, titled after the question. Never rejects;
   * resolves with what the turn became.
   */
  private async startTurn(stored: NewlyStored, options: HandleMessageOptions, log: Logger): Promise<TurnOutcome> {
    const { claims, turns } = this.parts;
    const { message } = stored;
    const stop = new AbortController();
    claims.hold(message.id, () => stop.abort());
    const forModel = !stored.cut && parseCommandText(message.text) === null;
    if (forModel) this.deps.sessions.show(message.where, 'processing', { title: titleOf(message.text), initiatorUserId: message.author.id });
    // Looked up while the message waits for its turn, not inside it: a turn slot is a database connection's worth of work.
    const named = options.lookUpAuthorName ? this.withAuthorName(message, options.lookUpAuthorName, log) : Promise.resolve(message);
    const display = options.assistantThread;
    // Shown at once, not when a turn slot frees up; the answer waits for it, so it never comes after the answer.
    const shown = display ? this.parts.assistantThreads.begin(message, display, log) : SETTLED;
    let outcome: TurnOutcome = 'failed';
    try {
      outcome = await turns.run(async () => {
        await shown;
        return this.turn(await named, stored, stop.signal, log);
      });
    } catch (err) {
      log.error({ err }, 'turn failed; it stays unanswered for another process to take');
    } finally {
      if (display) await this.parts.assistantThreads.end(display, log);
      claims.release(message.id);
      if (forModel) this.showAnswered(message, outcome);
      // From the message's arrival (its row's time): a turn another process left counts its wait too.
      this.turnEnded(message.where.platform, outcome, message.createdAt.getTime());
    }
    return outcome;
  }

  /** `message` is the stored one with its author's name filled in; `stopped` aborts when a person stops the turn. */
  private async turn(message: StoredMessage, { cut, before }: NewlyStored, stopped: AbortSignal, log: Logger): Promise<TurnOutcome> {
    if (cut) return this.refuseCut(message, cut);
    const command = parseCommandText(message.text);
    if (!command) return this.parts.answerer.answer(message, log, before, stopped);
    await this.parts.commands.handle({ where: message.where, user: message.author, messageId: message.id, traceId: message.traceId ?? undefined, ...command });
    await this.deps.messages.answerTurn(message.id);
    return 'command';
  }

  /** The thread's session once its turn ended: answered, or over; a run that the turn started shows its own. */
  private showAnswered(message: StoredMessage, outcome: TurnOutcome): void {
    if (outcome === 'chat') this.deps.sessions.show(message.where, 'active');
    else if (outcome === 'failed' || outcome === 'stopped') this.deps.sessions.show(message.where, 'closed');
  }

  private turnEnded(platform: Platform, outcome: TurnOutcome, arrivedMs: number): void {
    this.deps.metrics.turnEnded({ platform, outcome, ms: epochMs(this.deps.clock) - arrivedMs });
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
  private async refuseCut(message: StoredMessage, cut: StoredCut): Promise<TurnOutcome> {
    const isCommand = parseCommandText(message.text) !== null;
    const size = `${isCommand ? 'That command' : 'That message'} is ${count(cut.originalChars)} characters long and I take at most ${count(MAX_STORED_CHARS)}`;
    await this.parts.replies.reply(message, `${size}, so I did not ${isCommand ? 'run' : 'read'} it. Please shorten it or attach the details as a file.`);
    return 'ignored';
  }
}

/** The cut a stored message's metadata records, if its text was cut. */
function cutOf(message: StoredMessage): StoredCut | null {
  const cut = message.metadata.cut as StoredCut | undefined;
  return cut && typeof cut.originalChars === 'number' ? cut : null;
}
