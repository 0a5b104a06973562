import type { Logger } from '../../logging/logger';
import type { ContextFact } from '../model/context-fact';
import { conversationOf, type ConversationRef } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import type { ChatMessage, ModelToolCall } from '../ports/language-model';
import type { Metrics } from '../ports/metrics';
import type { ContextStore } from '../ports/stores';
import { vetLearnedFacts, type RejectedFact, type VetLimits, type VettedFact } from './learned-facts';
import { rememberArgsSchema, type RememberArgs } from './remember-tool';

/** The bounds of learning; app.ts fills them from CONTEXT_MIN_CONFIDENCE, CONTEXT_MAX_VALUE_CHARS and CONTEXT_MAX_FACTS. */
export interface LearningLimits extends VetLimits {
  /** Facts kept per conversation; the least recently updated go first. */
  readonly maxFacts: number;
}

/**
 * Stores what the model asked to remember on a person's turn: each `remember` call's facts
 * pass the checks of learned-facts.ts (confidence, secrets, size, keys set by hand), are
 * upserted attributed to the message and its author, and the conversation keeps at most
 * `maxFacts`. Learning never fails the turn: a call it cannot use is answered as such.
 */
export class FactLearner {
  constructor(
    private readonly contexts: ContextStore,
    private readonly limits: LearningLimits,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Learns from `calls` (all `remember` calls) and returns their tool results, in order. */
  async learn(message: StoredMessage, calls: readonly ModelToolCall[], known: readonly ContextFact[]): Promise<ChatMessage[]> {
    const conversation = conversationOf(message.where);
    const manualKeys = new Set(known.filter((f) => f.source === 'manual').map((f) => f.key));
    const results: ChatMessage[] = [];
    let stored = 0;
    for (const call of calls) {
      const args = parseArgs(call);
      if (!args) {
        results.push({ role: 'tool', toolCallId: call.id, content: 'Nothing stored: the arguments were not {"facts": [...]} as the schema says.' });
        continue;
      }
      const { kept, rejected } = vetLearnedFacts(args, this.limits, manualKeys);
      const keys = await this.store(conversation, kept, message);
      stored += keys.length;
      for (const { reason } of rejected) this.metrics.factRefused({ platform: conversation.platform, reason });
      results.push({ role: 'tool', toolCallId: call.id, content: resultText(keys, rejected) });
      this.log.info({ ...conversation, stored: keys, rejected }, 'context learned');
    }
    if (stored) this.metrics.factsLearned({ platform: conversation.platform, count: stored });
    if (stored) await this.evict(conversation);
    return results;
  }

  /** Upserts each fact; returns the keys stored. A failed write is logged and left out (the value never is). */
  private async store(conversation: ConversationRef, facts: readonly VettedFact[], message: StoredMessage): Promise<string[]> {
    const keys: string[] = [];
    for (const fact of facts) {
      try {
        await this.contexts.storeContext(conversation, { ...fact, source: 'learned', learnedFrom: message.author.name, sourceMessageId: message.id });
        keys.push(fact.key);
      } catch (err) {
        this.log.warn({ err, ...conversation, key: fact.key }, 'could not store a learned fact');
      }
    }
    return keys;
  }

  private async evict(conversation: ConversationRef): Promise<void> {
    try {
      const evicted = await this.contexts.evictOldest(conversation, this.limits.maxFacts);
      if (evicted) this.log.info({ ...conversation, evicted }, 'oldest facts evicted');
    } catch (err) {
      this.log.warn({ err, ...conversation }, 'could not evict old facts');
    }
  }
}

function parseArgs(call: ModelToolCall): RememberArgs | null {
  try {
    const parsed = rememberArgsSchema.safeParse(JSON.parse(call.arguments));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What the model is told; never repeats a refused value. */
function resultText(keys: readonly string[], rejected: readonly RejectedFact[]): string {
  const parts = [keys.length ? `Remembered: ${keys.join(', ')}.` : 'Nothing stored.'];
  if (rejected.length) parts.push(`Not stored: ${rejected.map((r) => `${r.key || '(no key)'} (${r.reason.replace('_', ' ')})`).join(', ')}.`);
  return parts.join(' ');
}
