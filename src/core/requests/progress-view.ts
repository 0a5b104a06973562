import type { OutboundMessage } from '../model/card';
import type { ProgressStep, StepStatus } from '../model/message';
import { CANCEL_ACTION } from '../model/action-ids';

const ICON: Record<StepStatus, string> = {
  pending: '◻️',
  running: '⏳',
  done: '✅',
  failed: '❌',
  skipped: '⏭️',
  cancelled: '⏹️',
};

/** The most steps a progress view lists; older finished steps fold into one line. */
export const MAX_VISIBLE_STEPS = 15;

/** The progress message: one line per step with its state and timing, and Cancel while running. */
export function progressView(requestId: string, steps: readonly ProgressStep[], finished: boolean): OutboundMessage {
  const hidden = Math.max(0, steps.length - MAX_VISIBLE_STEPS);
  const lines = steps.slice(hidden).map(stepLine);
  if (hidden) lines.unshift(`… ${hidden} earlier steps`);
  const body = lines.join('\n') || 'Starting…';
  const title = finished ? 'Run finished' : 'Running';
  return {
    text: `${title}\n${body}`,
    card: {
      accent: 'info',
      elements: [
        { type: 'header', text: title },
        { type: 'text', text: body },
        ...(finished
          ? []
          : [{ type: 'actions' as const, buttons: [{ actionId: CANCEL_ACTION, value: requestId, label: 'Cancel', style: 'danger' as const }] }]),
      ],
    },
  };
}

function stepLine(step: ProgressStep): string {
  const took =
    step.startedAt && step.endedAt ? ` (${Date.parse(step.endedAt) - Date.parse(step.startedAt)} ms)` : '';
  return `${ICON[step.status]} ${step.label}${took}`;
}
