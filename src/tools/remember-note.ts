import { z } from 'zod';
import { checkManualFact, normalizeKey } from '../core/context/context-rules';
import { CONTEXT_TYPES } from '../core/model/context-fact';
import { conversationOf } from '../core/model/conversation';
import type { ContextStore } from '../core/ports/stores';
import { defineTool } from './define-tool';

/** The same bounds `context set` applies: the value cap and the facts kept per conversation. */
export interface NoteLimits {
  maxValueChars: number;
  maxFacts: number;
}

/**
 * Writes a fact into this conversation's context, as if set by hand: the key is
 * normalised, secrets and over-long values are refused, and the cap evicts the oldest.
 */
export function rememberNoteTool(store: ContextStore, limits: NoteLimits) {
  return defineTool({
    name: 'remember_note',
    description: 'Stores a durable fact (domain, preference, project or technology) about this conversation.',
    input: z.object({
      type: z.enum(CONTEXT_TYPES),
      key: z.string().min(1).max(100),
      value: z.string().min(1),
    }),
    idempotent: true,
    preview: ({ type, key }) => `sets ${type} fact "${normalizeKey(key)}" for this channel`,
    async execute({ type, key: rawKey, value }, ctx) {
      const key = normalizeKey(rawKey);
      checkManualFact(key, value, limits.maxValueChars);
      const step = ctx.step(`remember ${key}`);
      const conversation = conversationOf(ctx.where);
      await store.storeContext(conversation, { type, key, value, source: 'manual', learnedFrom: `run ${ctx.runId}`, sourceMessageId: null });
      await store.evictOldest(conversation, limits.maxFacts);
      step.done();
      return { text: `Remembered ${type} "${key}".` };
    },
  });
}
