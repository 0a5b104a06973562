import type { SourceLink } from '../model/card';
import type { ConversationRef } from '../model/conversation';
import type { CallStatus, ToolCallRecord } from '../model/tool-call';
import type { TaskCard } from '../ports/chat-platform';
import type { ToolCatalog } from '../ports/tools';
import { truncate } from '../text/truncate';
import type { SubStep } from './progress-view';

/** Slack shows about a line of a task's title, details and output; longer ones are cut. */
const TITLE_CHARS = 100;
const LINE_CHARS = 256;

const TASK_STATUS: Record<CallStatus, TaskCard['status']> = {
  pending: 'pending',
  ready: 'pending',
  running: 'in_progress',
  succeeded: 'complete',
  failed: 'error',
  refused: 'error',
  denied: 'error',
  expired: 'error',
  cancelled: 'error',
  interrupted: 'error',
  skipped: 'error',
};

/** What a call that is not simply running or done says it does. */
const DETAILS: Partial<Record<CallStatus, string>> = {
  pending: 'waiting for approval',
  refused: 'not run',
  denied: 'denied',
  expired: 'expired before anyone decided',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  skipped: 'skipped',
};

/** What the task cards of a run's calls are made from besides the calls. */
export interface TaskFacts {
  readonly tools: ToolCatalog;
  /** The run's conversation, whose tools the calls are. */
  readonly scope: ConversationRef;
  /** Steps running tools reported, by call record id. */
  readonly subSteps: ReadonlyMap<string, readonly SubStep[]>;
  /** Links to the approval cards the run's pending calls wait at, by request id. */
  readonly cardLinks: ReadonlyMap<string, string>;
}

/**
 * A run's calls as task cards: pending (ready, or waiting at a card it points to), in
 * progress with the latest step it reported, then complete or error with one line of its
 * result and the sources its tool names (the URL `http_get` read).
 */
export function taskCards(calls: readonly ToolCallRecord[], facts: TaskFacts): TaskCard[] {
  return calls.map((call) => {
    const status = TASK_STATUS[call.status];
    const sources = sourcesOf(call, facts);
    const details = detailsOf(call, facts);
    const output = outputOf(call);
    return {
      id: call.id,
      title: truncate(`${call.tool} ${JSON.stringify(call.args ?? {})}`, TITLE_CHARS),
      status,
      ...(details && { details: truncate(details, LINE_CHARS) }),
      ...(output && { output: truncate(output, LINE_CHARS) }),
      ...(sources.length > 0 && { sources }),
    };
  });
}

function detailsOf(call: ToolCallRecord, facts: TaskFacts): string | undefined {
  if (call.status === 'pending') return facts.cardLinks.has(call.requestId ?? '') ? 'waiting for approval on its card' : DETAILS.pending;
  if (call.status === 'running') return facts.subSteps.get(call.id)?.at(-1)?.label;
  return DETAILS[call.status];
}

/** The first line said of how it ended: its output, or why it failed. */
function outputOf(call: ToolCallRecord): string | undefined {
  const said = call.status === 'succeeded' ? call.output : call.status === 'running' ? null : (call.error ?? call.result);
  return said?.split('\n').find((line) => line.trim() !== '')?.trim();
}

function sourcesOf(call: ToolCallRecord, facts: TaskFacts): SourceLink[] {
  const card = call.status === 'pending' && call.requestId ? facts.cardLinks.get(call.requestId) : undefined;
  if (card) return [{ url: card, text: 'Approval card' }];
  if (call.status !== 'succeeded' || !call.args) return [];
  const tool = facts.tools.find(call.tool, facts.scope);
  return tool?.sources ? [...tool.sources(call.args)] : [];
}
