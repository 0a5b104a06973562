import { z } from 'zod';
import type { PlannedAction } from '../model/message';

/**
 * The model's answer, as one object: OpenAI-compatible structured output refuses a
 * union at the root and objects with free-form keys, so the kind is a field and each
 * action's arguments travel as a JSON string that we parse and check ourselves.
 */
export const modelAnswerSchema = z.object({
  kind: z.enum(['chat', 'agent_request']),
  reply: z.string().nullable(),
  summary: z.string().nullable(),
  actions: z
    .array(
      z.object({
        tool: z.string(),
        argsJson: z.string(),
        reason: z.string(),
      }),
    )
    .nullable(),
  destructive: z.boolean().nullable(),
});
export type ModelAnswer = z.infer<typeof modelAnswerSchema>;

/** What a message is, once the model has spoken and its answer has been parsed. */
export type Intent =
  | { readonly kind: 'chat'; readonly reply: string }
  | {
      readonly kind: 'agent_request';
      readonly summary: string;
      readonly actions: readonly PlannedAction[];
      readonly destructive: boolean;
      /** Actions whose argsJson was not a JSON object, by index. */
      readonly unreadableArgs: readonly { tool: string; error: string }[];
    };

/** Turns the model's answer into an Intent. A request with no actions is answered as chat. */
export function toIntent(answer: ModelAnswer): Intent {
  const actions = answer.actions ?? [];
  if (answer.kind === 'chat' || actions.length === 0) {
    return { kind: 'chat', reply: answer.reply?.trim() || answer.summary?.trim() || "I'm not sure what to do with that." };
  }
  const planned: PlannedAction[] = [];
  const unreadableArgs: { tool: string; error: string }[] = [];
  for (const action of actions) {
    const args = parseArgs(action.argsJson);
    if (args) planned.push({ tool: action.tool, args, reason: action.reason });
    else unreadableArgs.push({ tool: action.tool, error: 'arguments were not a JSON object' });
  }
  return {
    kind: 'agent_request',
    summary: answer.summary?.trim() || 'Run the proposed actions',
    actions: planned,
    destructive: answer.destructive ?? false,
    unreadableArgs,
  };
}

function parseArgs(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json === '' ? '{}' : json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
