export const CONTEXT_TYPES = ['domain', 'preference', 'project', 'technology'] as const;
export type ContextType = (typeof CONTEXT_TYPES)[number];

/** A durable fact the bot keeps about one conversation. */
export interface ContextFact {
  readonly type: ContextType;
  readonly key: string;
  readonly value: unknown;
  /** `learned` through the model's `remember` tool, or `manual` from a `set` command. */
  readonly source: 'learned' | 'manual';
  /** Who said it (or set it), when known. */
  readonly learnedFrom: string | null;
  readonly sourceMessageId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewContextFact {
  readonly type: ContextType;
  readonly key: string;
  readonly value: unknown;
  readonly source: 'learned' | 'manual';
  readonly learnedFrom: string | null;
  readonly sourceMessageId: string | null;
}
