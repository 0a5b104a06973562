import type { Logger } from '../../logging/logger';
import { StoreUnavailableError } from '../errors';
import { textToStore, type IncomingMessage, type StoredCut } from '../model/incoming';
import type { StoredMessage } from '../model/message';
import { sleepOn } from '../ports/clock';
import type { HandleMessageOptions } from '../ports/inbound';
import type { ThreadReading } from '../ports/stores';
import type { CoreDeps } from '../core-deps';

/** How long storing a message may take when CoreSettings.storeTimeoutMs is unset. */
const DEFAULT_STORE_TIMEOUT_MS = 2000;

/** A message just written, how its text was cut, and its thread as it was before it (null for a turn taken over from another process). */
export interface NewlyStored {
  readonly outcome: 'stored';
  readonly message: StoredMessage;
  readonly cut: StoredCut | null;
  readonly before: ThreadReading | null;
}

/** What storing did with a message. */
export type Stored = NewlyStored | { readonly outcome: 'duplicate' | 'ignored' };

/**
 * The storing half of a message's arrival, which the platform's acknowledgement waits for:
 * the one insert (a redelivery finds its row taken, an over-long text is cut), within the
 * store deadline. An insert that commits after the deadline still reaches `late`: the
 * platform's redelivery will find the message stored and stop there, so nobody else would
 * answer it.
 */
export class MessageIntake {
  constructor(
    private readonly deps: CoreDeps,
    private readonly late: (stored: NewlyStored, log: Logger) => void,
  ) {}

  /** @throws StoreUnavailableError when the store did not answer within the deadline. */
  async store(incoming: IncomingMessage, traceId: string, options: HandleMessageOptions, log: Logger): Promise<Stored> {
    const timeoutMs = this.deps.settings.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    const storing = this.insert(incoming, traceId, options, log);
    const decided = new AbortController();
    // Aborting the deadline once the race is decided rejects it; the race has already handled that.
    const deadline = sleepOn(this.deps.clock, timeoutMs, decided.signal).then(() => 'late' as const);
    const first = await Promise.race([storing, deadline]).finally(() => decided.abort());
    if (first !== 'late') return first;
    storing.then(
      (stored) => {
        if (stored.outcome !== 'stored') return;
        log.warn({ timeoutMs }, 'message stored after the deadline; answering it anyway');
        this.late(stored, log);
      },
      (err: unknown) => log.debug({ err }, 'a store that missed its deadline failed as well'),
    );
    throw new StoreUnavailableError(`the database did not store the message within ${timeoutMs} ms`, { timeoutMs });
  }

  /** The insert alone, without the store deadline: for a message no platform waits on (a schedule's firing). */
  async insert(incoming: IncomingMessage, traceId: string, options: HandleMessageOptions, log: Logger): Promise<Stored> {
    if (options.onlyKnownThread && !(await this.deps.messages.threadExists(incoming.where))) {
      log.debug('message in a thread the bot is not part of ignored');
      return { outcome: 'ignored' };
    }
    const { text, cut } = textToStore(incoming.text);
    // Files are listed, never their bytes: the turn fetches them (again, after a crash) when it reads the message.
    const files = incoming.attachments?.length ? { attachments: [...incoming.attachments] } : {};
    const newMessage = { where: incoming.where, platformMessageId: incoming.messageId, author: incoming.author, role: 'user', type: 'text', text, metadata: { ...(cut && { cut }), ...files }, traceId } as const;
    // The thread is read with the insert: the turn's prompt needs no second round trip (#16).
    const { message, isNew, before } = await this.deps.messages.appendTurn(newMessage, this.deps.settings.historyLimit);
    if (!isNew) {
      log.info({ storedTraceId: message.traceId }, 'redelivered message ignored');
      return { outcome: 'duplicate' };
    }
    if (cut) log.warn({ cut }, 'over-long message stored cut');
    return { outcome: 'stored', message, cut, before };
  }
}
