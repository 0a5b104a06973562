import type { ConversationRef } from '../model/conversation';
import type { PolicyRule } from '../model/policy-rule';
import type { ModelToolCall } from '../ports/language-model';
import type { NewToolCall } from '../ports/stores';
import type { ToolCatalog } from '../ports/tools';
import { parseJsonObject } from '../text/json-object';
import { quoteInput } from '../text/quote-input';
import { truncate } from '../text/truncate';
import { toolPolicy, type EnvPolicy } from '../policy/tool-policy';

/** The most of a tool's own refusal repeated back. */
const MAX_REFUSAL_CHARS = 300;

/**
 * The calls of one model turn, checked and sorted: a call to a tool not available here, with
 * arguments that are not a JSON object or fail the tool's schema, or past the run's budget of
 * calls, is refused with a result saying why (the model reads it and may try again); the rest
 * run at once or wait for a decision, by policy (rules over the environment, policy/tool-policy.ts);
 * a tool a rule hides here is refused as not available.
 */
export function sortCalls(
  calls: readonly ModelToolCall[],
  input: { tools: ToolCatalog; scope: ConversationRef; env: EnvPolicy; rules: readonly PolicyRule[]; callsLeft: number },
): NewToolCall[] {
  return calls.map((call, i) => {
    const refuse = (result: string): NewToolCall => ({ callId: call.id, tool: call.name, args: null, gate: 'refused', status: 'refused', idempotent: false, result });
    if (i >= input.callsLeft) return refuse('Not run: the run has reached its limit of tool calls.');
    const tool = input.tools.find(call.name, input.scope);
    const run = tool && toolPolicy(tool, input.scope, input.rules, input.env).run.value;
    if (!tool || run === 'hide') return refuse(`Not run: ${quoteInput(call.name)} is not a tool available in this channel.`);
    const args = parseJsonObject(call.arguments);
    if (!args) return refuse('Not run: the arguments were not a JSON object.');
    const checked = tool.checkArgs(args);
    // A schema's message may repeat what the model (or a person, with !run) sent: bounded.
    if (!checked.ok) return refuse(`Not run: ${tool.name}: ${truncate(checked.error, MAX_REFUSAL_CHARS)}`);
    const auto = run === 'auto';
    return { callId: call.id, tool: tool.name, args: checked.args, gate: auto ? 'auto' : 'gated', status: auto ? 'ready' : 'pending', idempotent: tool.idempotent, result: null };
  });
}
