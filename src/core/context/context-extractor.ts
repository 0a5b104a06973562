import type { Logger } from '../../logging/logger';
import { MAX_INPUT_CHARS } from '../model/incoming';
import type { TurnListener } from '../ports/turn-listener';
import { parseCommandText } from '../model/command-text';
import { conversationKey, conversationOf, type ConversationRef, type ThreadRef } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import { epochMs, type Clock } from '../ports/clock';
import type { LanguageModel } from '../ports/language-model';
import type { ContextStore, MessageStore } from '../ports/stores';
import { DebouncedBatches } from './debounced-batches';
import { WorkLimiter } from '../work-limiter';
import { buildExtractionPrompt } from './extraction-prompt';
import { extractionAnswerSchema, vetLearnedFacts, type VettedFact } from './learned-facts';

/** The structured-output purpose of the extraction call (the fake OpenAI scripts by it). */
export const EXTRACTION_PURPOSE = 'context_extraction';

/** Tunables of {@link ContextExtractor}; main.ts fills the first three from CONTEXT_*. */
export interface ExtractionSettings {
  /** Facts below this confidence are dropped. CONTEXT_MIN_CONFIDENCE, default 0.6. */
  readonly minConfidence: number;
  /** Facts kept per conversation; the least recently updated go first. CONTEXT_MAX_FACTS, default 50. */
  readonly maxFacts: number;
  /** Learned values longer than this are truncated. CONTEXT_MAX_VALUE_CHARS, default 500. */
  readonly maxValueChars: number;
  /** Earlier messages of the thread shown for context. Default 20. */
  readonly historyLimit?: number;
  /** Extract once the conversation has been quiet this long. Default 1500 ms. */
  readonly quietMs?: number;
  /** ...or at once after this many turns. Default 10. */
  readonly maxBatchTurns?: number;
  /** Extractions running at once across all conversations. Default 2. */
  readonly maxConcurrent?: number;
}

/** What the extractor needs; `model` null means no model is configured and extraction is off. */
export interface ExtractorDeps {
  readonly model: LanguageModel | null;
  readonly contexts: ContextStore;
  readonly messages: MessageStore;
  readonly log: Logger;
  readonly clock: Clock;
  readonly settings: ExtractionSettings;
}

type Turn = Parameters<TurnListener>[0];

/** A snapshot read before a write this long ago is certainly stale; forget older writes. */
const WRITE_MEMORY_MS = 60_000;

/**
 * Learns durable facts from conversations, off the reply's path: `onTurn` only queues
 * the turn; once a conversation goes quiet, one model call reads the turns since the
 * last extraction (with that conversation's earlier messages and known facts) and the
 * facts that pass the checks are upserted. The queue is in memory: a restart can lose
 * the last few seconds of turns, which is acceptable because extraction is best-effort
 * and idempotent (upserts by key), and the messages themselves are safe in Postgres.
 */
export class ContextExtractor {
  private readonly batches: DebouncedBatches<Turn>;
  private readonly log: Logger;
  private readonly lastWriteAt = new Map<string, number>();

  constructor(private readonly deps: ExtractorDeps) {
    this.log = deps.log.child({ module: 'context-extractor' });
    // Extraction is background work: after a burst, thousands of conversations go quiet
    // together, and their model calls must not crowd out the turns and runs people wait on.
    const background = new WorkLimiter(deps.settings.maxConcurrent ?? 2);
    this.batches = new DebouncedBatches((_key, turns) => background.run(() => this.extractSafely(turns)), {
      quietMs: deps.settings.quietMs ?? 1500,
      maxItems: deps.settings.maxBatchTurns ?? 10,
    });
  }

  /**
   * The TurnListener for CoreDeps.onTurn: returns at once and never throws. A message
   * too long for the intent call is too long to learn from as well.
   */
  readonly onTurn: TurnListener = (turn) => {
    if (!this.deps.model || turn.user.text.length > MAX_INPUT_CHARS) return;
    this.batches.add(conversationKey(turn.user.where), turn);
  };

  /** Resolves when every queued extraction has run (tests await this instead of sleeping). */
  idle(): Promise<void> {
    return this.batches.idle();
  }

  /** Runs queued extractions now and waits for them; call before closing the database. */
  flush(): Promise<void> {
    return this.batches.flush();
  }

  private async extractSafely(turns: readonly Turn[]): Promise<void> {
    const conversation = conversationOf(turns[0]!.user.where);
    try {
      await this.extract(conversation, turns);
    } catch (err) {
      this.log.warn({ err, ...conversation, turns: turns.length }, 'context extraction failed; these turns are skipped');
    }
  }

  private async extract(conversation: ConversationRef, turns: readonly Turn[]): Promise<void> {
    const { settings } = this.deps;
    const fresh = freshMessages(turns);
    const { history, known } = await this.readContext(conversation, turns, fresh);
    const earlier = earlierMessages(history, fresh, this.deps.settings.historyLimit ?? 20);
    const answer = await this.deps.model!.structured({
      purpose: EXTRACTION_PURPOSE,
      messages: buildExtractionPrompt({ earlier, fresh, known, maxValueChars: settings.maxValueChars }),
      schema: extractionAnswerSchema,
    });
    const manualKeys = new Set(known.filter((f) => f.source === 'manual').map((f) => f.key));
    const { kept, rejected } = vetLearnedFacts(answer, settings, manualKeys);
    for (const fact of kept) await this.store(conversation, fact, fresh);
    const evicted = kept.length ? await this.deps.contexts.evictOldest(conversation, settings.maxFacts) : 0;
    if (kept.length) this.wroteAt(conversationKey(conversation));
    this.log.info({ ...conversation, stored: kept.map((f) => f.key), rejected, evicted }, 'context extracted');
  }

  /** Attributed to whoever wrote the new messages (all of them, when several people did). */
  private store(conversation: ConversationRef, fact: VettedFact, fresh: readonly StoredMessage[]) {
    const said = fresh.filter((m) => m.role === 'user');
    const authors = [...new Set(said.map((m) => m.author.name))];
    return this.deps.contexts.storeContext(conversation, {
      ...fact,
      source: 'learned',
      learnedFrom: authors.join(', ') || null,
      sourceMessageId: said.at(-1)?.id ?? null,
    });
  }

  /**
   * The thread history and known facts for a batch. A single turn carries what its intent
   * call read a moment ago: reuse it unless this extractor has written facts since, which
   * saves two queries on every turn.
   */
  private async readContext(conversation: ConversationRef, turns: readonly Turn[], fresh: readonly StoredMessage[]) {
    const seen = turns.length === 1 ? turns[0]!.seen : undefined;
    if (seen && seen.readAt > (this.lastWriteAt.get(conversationKey(conversation)) ?? 0)) {
      return { history: seen.history, known: seen.facts };
    }
    const threads = new Map<string, ThreadRef>(fresh.map((m) => [m.where.thread, m.where]));
    const limit = this.deps.settings.historyLimit ?? 20;
    const [histories, known] = await Promise.all([
      Promise.all([...threads.values()].map((t) => this.deps.messages.recentMessages(t, limit))),
      this.deps.contexts.retrieveContext(conversation),
    ]);
    return { history: histories.flat(), known };
  }

  /** Remembers when facts were last written per conversation; old entries no longer matter. */
  private wroteAt(key: string): void {
    const now = epochMs(this.deps.clock);
    this.lastWriteAt.set(key, now);
    if (this.lastWriteAt.size < 1000) return;
    for (const [k, at] of this.lastWriteAt) if (now - at > WRITE_MEMORY_MS) this.lastWriteAt.delete(k);
  }
}

/**
 * The text messages before the first new one, in the threads the new ones belong to.
 * Commands are left out: `!context forget x` is not something to learn from.
 */
function earlierMessages(history: readonly StoredMessage[], fresh: readonly StoredMessage[], limit: number): StoredMessage[] {
  const freshIds = new Set(fresh.map((m) => m.id));
  const since = fresh[0]!.createdAt.getTime();
  return history
    .filter((m) => m.type === 'text' && !freshIds.has(m.id) && m.createdAt.getTime() < since && !parseCommandText(m.text))
    .sort(byTime)
    .slice(-limit);
}

/** The batch's own messages (each person's message and the bot's text reply), oldest first. */
function freshMessages(turns: readonly Turn[]): StoredMessage[] {
  const byId = new Map<string, StoredMessage>();
  for (const { user, reply } of turns) {
    byId.set(user.id, user);
    if (reply?.type === 'text') byId.set(reply.id, reply);
  }
  return [...byId.values()].sort(byTime);
}

const byTime = (a: StoredMessage, b: StoredMessage) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
