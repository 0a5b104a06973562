import { SwitchboardError, ToolError } from '../errors';
import type { Person, ThreadRef } from '../model/conversation';
import type { ToolCallRecord } from '../model/tool-call';
import { conversationOf } from '../model/conversation';
import type { ChatPlatform } from '../ports/chat-platform';
import type { CallEnd } from '../ports/stores';
import type { StepHandle, ToolCatalog, ToolOutput } from '../ports/tools';
import { truncate } from '../text/truncate';

/** The most characters of a tool's output the model reads back; the stored row keeps it all. */
export const MODEL_RESULT_CHARS = 12_000;

/** What running one call needs. */
export interface CallEnv {
  readonly tools: ToolCatalog;
  readonly where: ThreadRef;
  readonly runId: string;
  /** Who asked for the run, handed to the tool. */
  readonly requestedBy: Person;
  /** The conversation's platform, handed to the tool. */
  readonly platform: ChatPlatform;
  /** Longest one call may take (ACTION_TIMEOUT). */
  readonly timeoutMs: number;
  /** Aborted on Cancel, or when the run is lost to another worker; handed to the tool. */
  readonly signal: AbortSignal;
  readonly step: (label: string) => StepHandle;
}

/**
 * Runs one approved or auto-run call: the tool looked up again and its arguments checked again
 * (the catalog may have changed since the card), within its timeout, stopped on Cancel. Never
 * throws: how the call ended is its result, which the model reads.
 */
export async function runCall(call: ToolCallRecord, env: CallEnv): Promise<CallEnd> {
  try {
    const output = await withFilesSent(await execute(call, env), env);
    return { status: 'succeeded', output, error: null, result: truncate(output, MODEL_RESULT_CHARS) || '(no output)' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (env.signal.aborted) return { status: 'cancelled', output: null, error: message, result: 'Stopped before it finished: the run was cancelled.' };
    return { status: 'failed', output: null, error: message, result: `Failed: ${message}` };
  }
}

/**
 * Sends the files a call returned into the thread, and returns its text, noting any file the
 * platform would not take: the call itself succeeded, and its text says what people missed.
 */
async function withFilesSent(output: ToolOutput, env: CallEnv): Promise<string> {
  const notes: string[] = [];
  for (const file of output.files ?? []) {
    if (!env.platform.uploadFile) {
      notes.push(`(${file.name} not sent: ${env.platform.platform} takes no files)`);
      continue;
    }
    await env.platform.uploadFile(env.where, file).catch((error: unknown) => notes.push(`(${file.name} not sent: ${error instanceof Error ? error.message : String(error)})`));
  }
  return [output.text, ...notes].filter(Boolean).join('\n');
}

async function execute(call: ToolCallRecord, env: CallEnv): Promise<ToolOutput> {
  const tool = env.tools.find(call.tool, conversationOf(env.where));
  if (!tool) throw new ToolError('unknown_tool', `The tool "${call.tool}" is no longer available here.`, { tool: call.tool });
  const args = tool.checkArgs(call.args ?? {});
  if (!args.ok) throw new ToolError('invalid_args', `${tool.name}: ${args.error}`, { tool: tool.name });
  const timeout = AbortSignal.timeout(env.timeoutMs);
  const signal = AbortSignal.any([env.signal, timeout]);
  const aborted = whenAborted(signal);
  const running = tool.execute(args.args, { runId: env.runId, where: env.where, requestedBy: env.requestedBy, platform: env.platform, signal, step: env.step });
  // A tool that ignores its signal may settle after the race is over; that is not a crash.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, aborted.promise]);
  } catch (error) {
    if (timeout.aborted && !env.signal.aborted) {
      throw new ToolError('action_timeout', `${tool.name} took longer than ${env.timeoutMs} ms.`, { tool: tool.name }, { cause: error });
    }
    throw error instanceof SwitchboardError || error instanceof Error ? error : new ToolError('tool_failed', String(error));
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
