import type { RunOutcome } from '../model/agent-run';
import type { Person } from '../model/conversation';
import { textFile, type OutboundFile } from '../model/outbound-file';
import type { ToolCallRecord } from '../model/tool-call';
import { truncate } from '../text/truncate';

/** The longest output a manual run's result message shows; a longer one goes as a file (the call's row keeps all of it). */
export const RESULT_PREVIEW_CHARS = 1500;

const HEADLINE: Record<RunOutcome, string> = {
  succeeded: '✅ Done',
  failed: '❌ Failed',
  cancelled: '⏹️ Cancelled',
  expired: '⌛ Expired before anyone decided; nothing ran',
  denied: '🚫 Denied',
};

/** The result message of a `!run`: its outcome, the tool, and its output or error (one line naming the file, for an output sent as one). */
export function manualResultText(outcome: RunOutcome, call: ToolCallRecord | undefined, by: Person | null): string {
  const who = by && (outcome === 'cancelled' || outcome === 'denied') ? ` by ${by.name}` : '';
  const file = manualResultFile(outcome, call);
  if (file && call) return `${HEADLINE[outcome]}: Run ${call.tool}: its output (${call.output!.length} characters) is in the file ${file.name}.`;
  const body = outcome === 'succeeded' ? call?.output : outcome === 'failed' ? call?.error : outcome === 'denied' ? call?.result : null;
  const what = call ? `: Run ${call.tool}` : '';
  return `${HEADLINE[outcome]}${who}${what}${body ? `\n${truncate(body, RESULT_PREVIEW_CHARS)}` : ''}`;
}

/** A `!run`'s output too long for its result message, as a file to send with it; null when the message shows it. */
export function manualResultFile(outcome: RunOutcome, call: ToolCallRecord | undefined): OutboundFile | null {
  if (outcome !== 'succeeded' || !call?.output || call.output.length <= RESULT_PREVIEW_CHARS) return null;
  return textFile(`${call.tool}-output.txt`, call.output, '', 'text/plain');
}

/** The last message of an agent run that did not end with the model's answer. */
export function stoppedText(outcome: Exclude<RunOutcome, 'succeeded'>, detail: string | null, by: Person | null): string {
  switch (outcome) {
    case 'cancelled':
      return `⏹️ Cancelled${by ? ` by ${by.name}` : ''}; the run stopped.`;
    case 'expired':
      return '⌛ The request expired before anyone decided; nothing was run, and the run ended.';
    case 'denied':
      return `🚫 Denied${by ? ` by ${by.name}` : ''}; the run ended.`;
    case 'failed':
      return `❌ I could not finish${detail ? `: ${detail}` : '.'}`;
  }
}
