import { z } from 'zod';
import { wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** What the bot remembers per conversation, and how much of it a prompt carries. */
export const contextSettings = {
  maxFacts: setting('CONTEXT_MAX_FACTS', wholeNumber(1, 1000), { default: '50', doc: 'facts kept per conversation; the least recently updated are evicted' }),
  maxValueChars: setting('CONTEXT_MAX_VALUE_CHARS', wholeNumber(10, 10_000), { default: '500', doc: 'longest fact value (learned ones are cut, `context set` refuses)' }),
  promptBudgetChars: setting('CONTEXT_PROMPT_BUDGET_CHARS', wholeNumber(200, 100_000), { default: '4000', doc: 'characters of context carried in each prompt' }),
  minConfidence: setting('CONTEXT_MIN_CONFIDENCE', z.coerce.number().min(0).max(1), { default: '0.6', doc: 'learned facts below this confidence (0..1) are dropped' }),
  clearAllowed: setting('CONTEXT_CLEAR_ALLOWED', z.enum(['anyone', 'approvers']), { default: 'anyone', doc: "who may clear a channel's context: anyone or approvers" }),
} satisfies Section;
