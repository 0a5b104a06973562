import type { ConversationRef } from '../model/conversation';
import type { ToolCatalog } from '../ports/tools';
import { canonicalJson, type ShownCall } from './shown-plan';

/** A call about to be shown on a card: which tool, with which checked arguments. */
export interface CallToShow {
  readonly tool: string;
  readonly args: Record<string, unknown> | null;
}

/**
 * Each call as its card shows it, with the tool looked up where the request lives: its origin,
 * what it touches, a caution about its hints, and its risk, which comes from the tool alone.
 */
export function showCalls(calls: readonly CallToShow[], tools: ToolCatalog, scope: ConversationRef): ShownCall[] {
  return calls.map((call) => {
    const tool = tools.find(call.tool, scope);
    const args = call.args ?? {};
    return {
      tool: call.tool,
      origin: tool?.origin ?? 'unavailable here',
      args: canonicalJson(args),
      touches: tool?.preview?.(args) ?? null,
      caution: tool?.caution ?? null,
      // A tool gone from the catalog is shown (and treated) as destructive: nothing is known about it.
      destructive: tool?.destructive ?? true,
    };
  });
}
