import { z } from 'zod';
import { CONTEXT_TYPES } from '../model/context-fact';
import type { ModelToolCall, ToolDefinition } from '../ports/language-model';

/** The built-in tool through which the model learns: offered on a person's turn only, handled inline, never a run. */
export const REMEMBER_TOOL = 'remember';

/** Its arguments. Every field required and no unions: what strict tool schemas accept. */
export const rememberArgsSchema = z.object({
  facts: z.array(
    z.object({
      contextType: z.enum(CONTEXT_TYPES),
      key: z.string(),
      value: z.string(),
      confidence: z.number(),
    }),
  ),
});
export type RememberArgs = z.infer<typeof rememberArgsSchema>;

/**
 * How the model sees it. Learning rides on the turn's own model call: a message that
 * teaches nothing costs no second call, and one that does costs the tool call's few tokens.
 */
export const REMEMBER_DEFINITION: ToolDefinition = {
  name: REMEMBER_TOOL,
  description: [
    "Keeps durable facts about this team or channel for later conversations: its domain (what it does, its users, its vocabulary), preferences (how it wants things done or answered), projects (services, repositories, status, deadlines) and technology (languages, frameworks, infrastructure, vendors).",
    'Call it, alongside your answer, when someone in the channel states such a fact; not for one-off requests, small talk, guesses, anything only true today, secrets or personal data.',
    'key: short snake_case, e.g. uses_kubernetes; to update a fact you were told before, reuse its key and give the whole new value.',
    'value: one plain sentence. confidence: 0 to 1, how sure you are it is a correct, lasting fact.',
  ].join(' '),
  parameters: z.toJSONSchema(rememberArgsSchema) as Record<string, unknown>,
};

/** Splits a model turn's calls into the ones that only remember and the ones that act. */
export function splitRememberCalls(calls: readonly ModelToolCall[]): { remember: ModelToolCall[]; act: ModelToolCall[] } {
  const remember = calls.filter((c) => c.name === REMEMBER_TOOL);
  return { remember, act: calls.filter((c) => c.name !== REMEMBER_TOOL) };
}
