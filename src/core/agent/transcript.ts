import { CALL_ENDS, type ToolCallRecord } from '../model/tool-call';
import type { ChatMessage } from '../ports/language-model';
import type { ModelTurnRecord } from '../ports/stores';

/**
 * A run's own transcript in the wire's terms: each model turn as the assistant message that
 * asked for its calls, then one `tool` message per call with its result, by its stored call id
 * (the model's own, unless it was empty or repeated: call-ids.ts).
 * The result is what the call's record says the model reads: tool output, a refusal, a denial.
 */
export function runTranscript(turns: readonly ModelTurnRecord[], calls: readonly ToolCallRecord[]): ChatMessage[] {
  return turns.flatMap((turn) => {
    const own = calls.filter((c) => c.turnSeq === turn.seq).sort((a, b) => a.position - b.position);
    const asked: ChatMessage = {
      role: 'assistant',
      content: turn.content,
      toolCalls: own.map((c) => ({ id: c.callId, name: c.tool, arguments: JSON.stringify(c.args ?? {}) })),
    };
    const results: ChatMessage[] = own.map((c) => ({ role: 'tool', toolCallId: c.callId, content: resultOf(c) }));
    return [asked, ...results];
  });
}

function resultOf(call: ToolCallRecord): string {
  if (!CALL_ENDS.has(call.status)) return `(no result: the call is ${call.status})`;
  return call.result ?? `(the call ended ${call.status} with no output)`;
}
