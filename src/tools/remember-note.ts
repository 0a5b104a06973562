import { z } from 'zod';
import { CONTEXT_TYPES } from '../core/model/context-fact';
import { conversationOf } from '../core/model/conversation';
import type { ContextStore } from '../core/ports/stores';
import { defineTool } from './define-tool';

/** Writes a fact into this conversation's context, as if set by hand. */
export function rememberNoteTool(store: ContextStore) {
  return defineTool({
    name: 'remember_note',
    description: 'Stores a durable fact (domain, preference, project or technology) about this conversation.',
    input: z.object({
      type: z.enum(CONTEXT_TYPES),
      key: z.string().min(1).max(100),
      value: z.string().min(1).max(500),
    }),
    idempotent: true,
    preview: ({ type, key }) => `sets ${type} fact "${key}" for this channel`,
    async execute({ type, key, value }, ctx) {
      const step = ctx.step(`remember ${key}`);
      await store.storeContext(conversationOf(ctx.where), {
        type,
        key,
        value,
        source: 'manual',
        learnedFrom: `request ${ctx.requestId}`,
        sourceMessageId: null,
      });
      step.done();
      return { text: `Remembered ${type} "${key}".` };
    },
  });
}
