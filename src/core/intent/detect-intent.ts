import type { ContextFact } from '../model/context-fact';
import type { StoredMessage } from '../model/message';
import type { LanguageModel } from '../ports/language-model';
import type { Tool } from '../ports/tools';
import { buildIntentPrompt } from './intent-prompt';
import { modelAnswerSchema, toIntent, type Intent } from './intent';

/** Asks the model what the latest message of `history` is. Throws ModelError on any model failure. */
export async function detectIntent(
  model: LanguageModel,
  input: { history: readonly StoredMessage[]; context: readonly ContextFact[]; contextBudgetChars: number; tools: readonly Tool[] },
): Promise<Intent> {
  const answer = await model.structured({
    purpose: 'intent',
    messages: buildIntentPrompt(input),
    schema: modelAnswerSchema,
  });
  return toIntent(answer);
}
