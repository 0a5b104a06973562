import { SwitchboardError, ToolError } from '../errors';
import type { AgentRequest } from '../model/agent-request';
import { conversationOf } from '../model/conversation';
import type { ActionRecord, PlannedAction } from '../model/message';
import { isoNow, type Clock } from '../ports/clock';
import type { StepHandle, ToolCatalog } from '../ports/tools';
import { hashPlan } from './plan-hash';
import type { ResultDetails } from './result-message';

/** How a run's actions went: the outcome, output, error and a record per action. */
export interface RunEnd extends ResultDetails {
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
  readonly actions: readonly ActionRecord[];
}

/** What running the actions needs. */
export interface ActionEnv {
  readonly tools: ToolCatalog;
  readonly actionTimeoutMs: number;
  readonly step: (label: string) => StepHandle;
  /** Aborted on Cancel (or when the run is lost); checked between actions and handed to tools. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

/**
 * Runs exactly the approved actions, in order: refuses the lot if the plan no longer
 * hashes to what was approved, checks each action's args against its tool again, gives
 * each its timeout, and stops at the first failure or on Cancel.
 */
export async function runActions(request: AgentRequest, env: ActionEnv): Promise<RunEnd> {
  const startedAt = isoNow(env.clock);
  const records: ActionRecord[] = request.actions.map((a) => ({ tool: a.tool, args: a.args, outcome: 'skipped', startedAt: null, endedAt: null, error: null }));
  const outputs: string[] = [];
  const end = (outcome: RunEnd['outcome'], error: unknown = null): RunEnd => ({
    outcome,
    output: outputs.join('\n'),
    error: error === null || outcome === 'cancelled' ? null : describe(error),
    errorCode: outcome === 'failed' ? codeOf(error) : null,
    startedAt,
    endedAt: isoNow(env.clock),
    actions: records,
  });
  if (request.planHash !== hashPlan(request.actions)) {
    return end('failed', new ToolError('plan_changed', 'The stored plan no longer matches what was approved; nothing was run.'));
  }
  for (const [i, action] of request.actions.entries()) {
    if (env.signal.aborted) return end('cancelled');
    const record = records[i]!;
    record.startedAt = isoNow(env.clock);
    try {
      outputs.push(await runAction(request, action, env));
      record.outcome = 'succeeded';
    } catch (error) {
      record.outcome = env.signal.aborted ? 'cancelled' : error instanceof ToolError && error.code === 'action_timeout' ? 'timed_out' : 'failed';
      record.error = describe(error);
      return end(env.signal.aborted ? 'cancelled' : 'failed', error);
    } finally {
      record.endedAt = isoNow(env.clock);
    }
  }
  return end('succeeded');
}

async function runAction(request: AgentRequest, action: PlannedAction, env: ActionEnv): Promise<string> {
  const tool = env.tools.find(action.tool, conversationOf(request.where));
  if (!tool) throw new ToolError('unknown_tool', `The tool "${action.tool}" is no longer available.`, { tool: action.tool });
  const args = tool.checkArgs(action.args);
  if (!args.ok) throw new ToolError('invalid_args', `${tool.name}: ${args.error}`, { tool: tool.name });
  const timeout = AbortSignal.timeout(env.actionTimeoutMs);
  const signal = AbortSignal.any([env.signal, timeout]);
  const aborted = whenAborted(signal);
  const running = tool.execute(args.args, { requestId: request.id, where: request.where, signal, step: env.step });
  // A tool that ignores its signal may settle after the race is over; that is not a crash.
  running.catch(() => undefined);
  try {
    return (await Promise.race([running, aborted.promise])).text;
  } catch (error) {
    if (timeout.aborted && !env.signal.aborted) {
      throw new ToolError('action_timeout', `${tool.name} took longer than ${env.actionTimeoutMs} ms.`, { tool: tool.name }, { cause: error });
    }
    throw error;
  } finally {
    aborted.dispose();
  }
}

/** A promise that rejects when `signal` aborts, so a run never waits on a tool that ignores it. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string {
  return error instanceof SwitchboardError ? error.code : 'tool_failed';
}
