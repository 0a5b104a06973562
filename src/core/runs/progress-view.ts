import { CANCEL_ACTION } from '../model/action-ids';
import type { OutboundMessage } from '../model/card';
import type { CallStatus, ToolCallRecord } from '../model/tool-call';
import { truncate } from '../text/truncate';

/** What a run is doing between its calls. */
export type RunPhase = 'thinking' | 'running' | 'waiting' | 'done';

/** A step a running tool reported (ctx.step), kept in memory for the view. */
export interface SubStep {
  readonly label: string;
  readonly status: 'running' | 'done' | 'failed';
}

export interface ProgressState {
  readonly calls: readonly ToolCallRecord[];
  readonly phase: RunPhase;
  /** Sub-steps by call record id. */
  readonly subSteps?: ReadonlyMap<string, readonly SubStep[]>;
}

const ICON: Record<CallStatus, string> = {
  pending: '⏸',
  ready: '◻️',
  running: '⏳',
  succeeded: '✅',
  failed: '❌',
  refused: '⚠️',
  denied: '🚫',
  expired: '⌛',
  cancelled: '⏹️',
  interrupted: '⚡',
  skipped: '⏭️',
};

const NOTE: Partial<Record<CallStatus, string>> = {
  pending: 'waiting for approval',
  running: 'running',
  refused: 'not run',
  denied: 'denied',
  expired: 'expired',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  skipped: 'skipped',
};

const PHASE_LINE: Record<RunPhase, string> = { thinking: '🤔 Thinking…', running: '', waiting: '⏸ Waiting for approval', done: '' };

/** The most calls listed; older ones fold into one line. */
export const MAX_VISIBLE_CALLS = 12;
const SUB_STEPS_SHOWN = 3;

/** The run's one progress message: a line per call with its state, duration and the start of its output, and Cancel while it runs. */
export function progressView(runId: string, state: ProgressState): OutboundMessage {
  const hidden = Math.max(0, state.calls.length - MAX_VISIBLE_CALLS);
  const lines = state.calls.slice(hidden).flatMap((call) => callLines(call, state.subSteps?.get(call.id) ?? []));
  if (hidden) lines.unshift(`… ${hidden} earlier calls`);
  if (PHASE_LINE[state.phase]) lines.push(PHASE_LINE[state.phase]);
  const body = lines.join('\n') || 'Starting…';
  const finished = state.phase === 'done';
  const title = finished ? 'Run finished' : 'Working';
  return {
    text: `${title}\n${body}`,
    card: {
      accent: 'info',
      elements: [
        { type: 'header', text: title },
        { type: 'text', text: body },
        { type: 'context', text: `run ${runId}` },
        ...(finished ? [] : [{ type: 'actions' as const, buttons: [{ actionId: CANCEL_ACTION, value: runId, label: 'Cancel', style: 'danger' as const }] }]),
      ],
    },
  };
}

function callLines(call: ToolCallRecord, subSteps: readonly SubStep[]): string[] {
  const args = truncate(JSON.stringify(call.args ?? {}), 60);
  const note = NOTE[call.status] ?? durationOf(call);
  const head = `${ICON[call.status]} \`${call.tool}\` ${args}${note ? ` · ${note}` : ''}`;
  const steps = subSteps.slice(-SUB_STEPS_SHOWN).map((s) => `   ↳ ${s.label}${s.status === 'done' ? ' ✓' : s.status === 'failed' ? ' ✗' : '…'}`);
  const said = call.status === 'succeeded' ? call.output : call.status === 'failed' ? call.error : null;
  const preview = said ? [`   → ${truncate(said.split('\n').find((l) => l.trim()) ?? '', 100)}`] : [];
  return [head, ...steps, ...preview];
}

function durationOf(call: ToolCallRecord): string {
  if (!call.startedAt || !call.endedAt) return '';
  const ms = call.endedAt.getTime() - call.startedAt.getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
