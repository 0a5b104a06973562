import type { z } from 'zod';

export interface ModelTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** One structured-output call: the answer must parse with `schema`. */
export interface StructuredRequest<T> {
  readonly purpose: string;
  readonly messages: readonly ModelTurn[];
  readonly schema: z.ZodType<T>;
  readonly signal?: AbortSignal;
}

/**
 * The language model as the core needs it. Implementations throw ModelError with
 * code `timeout`, `rate_limited`, `unavailable`, `refused` or `malformed_output`.
 */
export interface LanguageModel {
  structured<T>(request: StructuredRequest<T>): Promise<T>;
}
