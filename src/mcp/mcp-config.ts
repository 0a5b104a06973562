import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { PLATFORMS } from '../core/model/conversation';
import { errorMessage } from './error-message';

const VARIABLE = 'MCP_SERVERS';

/** Default limit for one tool call, in ms, counted again from each progress notification. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Default limit for one tool call however much progress it reports, in ms (raised to `timeoutMs` when that is longer). */
export const DEFAULT_MAX_TOTAL_TIMEOUT_MS = 300_000;
/** Default limit for connecting to a server and listing its tools at start-up, in ms. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;

const names = z.array(z.string().min(1)).min(1, { error: 'must list at least one entry when set' });
const stringMap = z.record(z.string(), z.string());
const millis = () => z.number().int().min(100).max(3_600_000);

const scopeSchema = z.strictObject({
  platforms: z.array(z.enum(PLATFORMS)).min(1).optional(),
  workspaces: names.optional(),
  /** A channel id (`C123`) or a full key (`slack:T1:C123`) when ids may repeat across workspaces. */
  channels: names.optional(),
});

const serverSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]|_(?!_))*$/, {
        error: 'expected letters, digits, - and single _ (tools are named <server>__<tool>)',
      })
      .max(40),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: stringMap.optional(),
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
    headers: stringMap.optional(),
    allowTools: names.optional(),
    scope: scopeSchema.optional(),
    trusted: z.boolean().default(false),
    timeoutMs: millis().default(DEFAULT_CALL_TIMEOUT_MS),
    maxTotalTimeoutMs: millis().optional(),
    startupTimeoutMs: millis().default(DEFAULT_STARTUP_TIMEOUT_MS),
  })
  .superRefine((s, ctx) => {
    if (Boolean(s.command) === Boolean(s.url)) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'set exactly one of "command" (stdio) or "url" (Streamable HTTP)' });
    }
    const misplaced = s.command ? (['headers'] as const) : (['args', 'env'] as const);
    for (const key of misplaced) {
      if (s[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `only for ${s.command ? 'HTTP' : 'stdio'} servers` });
    }
    if (s.maxTotalTimeoutMs !== undefined && s.maxTotalTimeoutMs < s.timeoutMs) {
      ctx.addIssue({ code: 'custom', path: ['maxTotalTimeoutMs'], message: `must be at least timeoutMs (${s.timeoutMs})` });
    }
  })
  .transform(({ command, args, env, url, headers, maxTotalTimeoutMs, ...common }) => {
    const limits = { maxTotalTimeoutMs: maxTotalTimeoutMs ?? Math.max(DEFAULT_MAX_TOTAL_TIMEOUT_MS, common.timeoutMs) };
    return command
      ? { ...common, ...limits, transport: 'stdio' as const, command, args: args ?? [], env: env ?? {} }
      : { ...common, ...limits, transport: 'http' as const, url: url!, headers: headers ?? {} };
  });

const serversSchema = z.array(serverSchema).superRefine((servers, ctx) => {
  const seen = new Set<string>();
  servers.forEach((s, i) => {
    if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate server name "${s.name}"` });
    seen.add(s.name);
  });
});

/** One configured MCP server, validated, with defaults filled in. */
export type McpServerConfig = z.output<typeof serverSchema>;
/** Which conversations may use a server; each list set must contain the conversation's value. */
export type McpScope = z.output<typeof scopeSchema>;

/**
 * Parses MCP_SERVERS: a JSON array of servers, or (when the value does not start with
 * `[` or `{`) the path of a JSON file holding that array. Unset means no servers.
 * @throws ConfigError naming MCP_SERVERS and the first bad field.
 */
export function parseMcpServers(raw: string | undefined): McpServerConfig[] {
  if (raw === undefined || raw.trim() === '') return [];
  const json = /^[[{]/.test(raw.trim()) ? raw : readConfigFile(raw.trim());
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ConfigError('invalid_variable', `${VARIABLE}: not valid JSON (${errorMessage(error)})`, { variable: VARIABLE });
  }
  const parsed = serversSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw new ConfigError('invalid_variable', `${VARIABLE}${field}: ${issue.message}`, { variable: VARIABLE, field });
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('invalid_variable', `${VARIABLE}: expected a JSON array or the path of a JSON file; cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      variable: VARIABLE,
      path,
    }, { cause: error });
  }
}
