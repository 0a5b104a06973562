import type { CallToolResult, Progress, Tool as McpToolDef } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ToolError } from '../core/errors';
import type { ArgsCheck, StepHandle, Tool, ToolContext } from '../core/ports/tools';
import { truncate } from '../core/text/truncate';
import { resultText } from './call-result';
import { resultFiles } from './result-files';
import { errorMessage } from './error-message';
import type { McpCallOptions } from './mcp-connection';
import type { McpServerConfig } from './mcp-config';
import { distrustCaution, riskOf } from './mcp-risk';

/** Server-written text shown to the model and on cards is cut to these lengths. */
const DESCRIPTION_CHARS = 1000;
const STEP_LABEL_CHARS = 120;
/** Progress notifications past this many become no further steps, so a chatty server cannot bloat the progress row. */
const MAX_PROGRESS_STEPS = 50;

/** Calls one tool on the tool's server by its MCP name. */
export type McpCall = (tool: string, args: Record<string, unknown>, options: McpCallOptions) => Promise<CallToolResult>;

/** The name the agent and `!run` use for an MCP tool. */
export function qualifiedName(server: string, tool: string): string {
  return `${server}__${tool}`;
}

/**
 * An MCP tool as a Switchboard tool: namespaced, risk from its annotations and the
 * server's trust, arguments checked against its input JSON Schema before any card.
 * @throws ToolError when its name or input schema cannot be used.
 */
export function mcpTool(def: McpToolDef, server: McpServerConfig, call: McpCall): Tool {
  const name = qualifiedName(server.name, def.name);
  if (!/^\S{1,128}$/.test(def.name)) throw new ToolError('mcp_bad_tool', 'its name is empty, too long or contains spaces', { tool: def.name });
  // The SDK refuses a plain tools/call of such a tool; refusing it here keeps it off the
  // model's list and off cards instead of failing after someone approved it.
  if (def.execution?.taskSupport === 'required') {
    throw new ToolError('mcp_needs_tasks', 'it can only run as an MCP task (execution.taskSupport "required"), which Switchboard does not support', { tool: def.name });
  }
  const schema = argsSchema(def);
  return {
    name,
    description: truncate(def.description ?? def.title ?? def.annotations?.title ?? 'no description given', DESCRIPTION_CHARS),
    inputJsonSchema: def.inputSchema,
    ...riskOf(def.annotations, server.trusted),
    origin: `mcp:${server.name}`,
    caution: distrustCaution(def.annotations, server.trusted, server.name),
    checkArgs: (args) => checkArgs(schema, args),
    execute: (args, ctx) => execute(name, def.name, call, args, ctx),
  };
}

/**
 * A tool the server lists that cannot be offered, found only when named (`!run`, or a
 * model that guessed it): it refuses any arguments with the reason, so the person asking
 * learns why before any card, and never calls the server.
 */
export function refusingTool(name: string, server: McpServerConfig, reason: string): Tool {
  const refusal = `unavailable: ${reason}`;
  return {
    name,
    description: refusal,
    inputJsonSchema: { type: 'object' },
    destructive: true,
    readOnly: false,
    idempotent: false,
    origin: `mcp:${server.name}`,
    checkArgs: () => ({ ok: false, error: refusal }),
    execute: () => Promise.reject(new ToolError('mcp_unavailable', `${name} is ${refusal}`, { tool: name })),
  };
}

function argsSchema(def: McpToolDef): z.ZodType {
  try {
    return z.fromJSONSchema(def.inputSchema as z.core.JSONSchema.JSONSchema);
  } catch (error) {
    throw new ToolError('mcp_bad_schema', `its input schema could not be read (${errorMessage(error)})`, { tool: def.name }, { cause: error });
  }
}

function checkArgs(schema: z.ZodType, args: unknown): ArgsCheck {
  const parsed = schema.safeParse(args);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
  const value = parsed.data;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the arguments must be a JSON object' };
  return { ok: true, args: value as Record<string, unknown> };
}

/** One progress step for the call, then one per progress notification; an `isError` result fails the action. */
async function execute(name: string, mcpName: string, call: McpCall, args: Record<string, unknown>, ctx: ToolContext) {
  let step: StepHandle = ctx.step(`calling ${name}`);
  let steps = 1;
  const onProgress = (progress: Progress) => {
    if (steps >= MAX_PROGRESS_STEPS) return;
    step.done();
    step = ctx.step(truncate(progressLabel(progress), STEP_LABEL_CHARS));
    steps++;
  };
  const result = await call(mcpName, args, { signal: ctx.signal, onProgress });
  const text = resultText(result);
  if (result.isError) throw new ToolError('mcp_tool_failed', `${name} failed: ${text || 'the server gave no details'}`, { tool: name });
  step.done();
  return { text, files: resultFiles(name, result) };
}

function progressLabel(p: Progress): string {
  if (p.message) return p.message;
  return p.total ? `${p.progress} of ${p.total}` : `progress ${p.progress}`;
}
