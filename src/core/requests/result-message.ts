import type { AgentRequest } from '../model/agent-request';
import type { OutboundMessage } from '../model/card';
import type { MessageMetadata, NewMessage, Outcome } from '../model/message';
import { truncate } from '../text';

/** How much of a run's output the result message shows; the database keeps all of it. */
export const RESULT_PREVIEW_CHARS = 1500;

const HEADLINE: Record<Outcome, string> = {
  succeeded: '✅ Done',
  failed: '❌ Failed',
  cancelled: '⏹️ Cancelled',
  expired: '⌛ Expired',
  denied: '🚫 Denied',
};

/** The result message users see for a finished request. */
export function resultMessage(request: AgentRequest, outcome: Outcome, output: string, error: string | null): OutboundMessage {
  const body = error ?? output;
  const shown = body ? `\n${truncate(body, RESULT_PREVIEW_CHARS)}` : '';
  return { text: `${HEADLINE[outcome]}: ${request.summary}${shown}` };
}

/** The stored `agent_result` row for an outcome, whether or not a message is posted for it. */
export function resultRecord(
  request: AgentRequest,
  outcome: Outcome,
  output: string,
  error: string | null,
  platformMessageId: string | null = null,
): NewMessage<'agent_result'> {
  const metadata: MessageMetadata<'agent_result'> = { requestId: request.id, outcome, output, error };
  return {
    where: request.where,
    platformMessageId,
    author: { id: 'switchboard', name: 'Switchboard' },
    role: 'assistant',
    type: 'agent_result',
    text: resultMessage(request, outcome, output, error).text,
    metadata,
  };
}
