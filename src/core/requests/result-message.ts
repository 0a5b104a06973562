import type { AgentRequest } from '../model/agent-request';
import type { OutboundMessage } from '../model/card';
import type { Person } from '../model/conversation';
import type { ActionRecord, MessageMetadata, NewMessage, Outcome } from '../model/message';
import { truncate } from '../text/truncate';

/** How much of a run's output the result message shows; the database keeps all of it. */
export const RESULT_PREVIEW_CHARS = 1500;

/** The author of everything the bot says. */
export const BOT_AUTHOR: Person = { id: 'switchboard', name: 'Switchboard' };

const HEADLINE: Record<Outcome, string> = {
  succeeded: '✅ Done',
  failed: '❌ Failed',
  cancelled: '⏹️ Cancelled',
  expired: '⌛ Expired',
  denied: '🚫 Denied',
};

/** How a request ended, as its result message and audit record tell it. */
export interface ResultDetails {
  readonly outcome: Outcome;
  readonly output: string;
  readonly error: string | null;
  readonly errorCode?: string | null;
  readonly attempt?: number;
  readonly startedAt?: string | null;
  readonly endedAt?: string | null;
  readonly cancelledBy?: Person | null;
  readonly actions?: readonly ActionRecord[];
}

/** The result message users see for a finished request. */
export function resultMessage(request: AgentRequest, details: ResultDetails): OutboundMessage {
  const by = details.outcome === 'cancelled' && details.cancelledBy ? ` (by ${details.cancelledBy.name})` : '';
  const body = details.error ?? details.output;
  const shown = body ? `\n${truncate(body, RESULT_PREVIEW_CHARS)}` : '';
  return { text: `${HEADLINE[details.outcome]}${by}: ${request.summary}${shown}` };
}

/** The stored `agent_result` row for an outcome, whether or not a message is posted for it. */
export function resultRecord(request: AgentRequest, details: ResultDetails): NewMessage<'agent_result'> {
  const metadata: MessageMetadata<'agent_result'> = {
    requestId: request.id,
    outcome: details.outcome,
    output: details.output,
    error: details.error,
    errorCode: details.errorCode ?? null,
    ...(details.attempt !== undefined && { attempt: details.attempt }),
    ...(details.startedAt !== undefined && { startedAt: details.startedAt }),
    ...(details.endedAt !== undefined && { endedAt: details.endedAt }),
    ...(details.cancelledBy && { cancelledBy: details.cancelledBy }),
    ...(details.actions && { actions: [...details.actions] }),
  };
  return {
    where: request.where,
    platformMessageId: null,
    author: BOT_AUTHOR,
    role: 'assistant',
    type: 'agent_result',
    text: resultMessage(request, details).text,
    metadata,
  };
}
