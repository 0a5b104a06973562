import { z } from 'zod';
import { ConfigError } from '../core/errors';
import type { AgentBudget, AutoRunPolicy } from '../core/model/agent-policy';
import { envSchema, type Env } from './env-schema';
import { opsListener, type OpsListener } from './ops-listener';

/** The whole configuration, parsed once at start-up and frozen. */
export interface Config {
  readonly logLevel: Env['LOG_LEVEL'];
  /** Where logs go when the console chat runs (with Slack or Discord they go to stdout). */
  readonly logFile: string;
  readonly database: {
    /** Unset means: start an embedded Postgres under `embeddedDir`. */
    readonly url?: string;
    readonly poolMax: number;
    readonly embeddedDir: string;
    readonly embeddedPort: number;
    readonly migrateOnStart: boolean;
    /** How long storing an incoming message may take before the platform is asked to deliver it again. */
    readonly storeTimeoutMs: number;
  };
  readonly llm: {
    /** Unset means: no model; the bot answers explicit commands only. */
    readonly apiKey?: string;
    readonly baseUrl?: string;
    readonly model: string;
    readonly timeoutMs: number;
    readonly maxRetries: number;
  };
  readonly requests: {
    readonly ttlMs: number;
    readonly actionTimeoutMs: number;
    readonly approvers: readonly string[];
    readonly fourEyes: boolean;
    /** Send each approver named by user id a direct message about a destructive request. */
    readonly notifyApprovers: boolean;
  };
  readonly agent: {
    /** Read-only tools that run without asking: all of them, or these (`tool` or `tool@channel`). */
    readonly autoRun: AutoRunPolicy;
    readonly budget: AgentBudget;
    /** Unanswered turns younger than this are answered after a crash; older ones are skipped. */
    readonly turnRecoveryWindowMs: number;
  };
  readonly execution: {
    /** Runs one process works on at once. */
    readonly concurrency: number;
    /** Time between sweeps: expiring pending requests, handing stalled runs back to the queue. */
    readonly sweepIntervalMs: number;
    /** Time between each process's looks for work a dead process left. */
    readonly livenessIntervalMs: number;
    /** Added to a step's longest time (its calls' timeouts) before pg-boss delivers its job again. */
    readonly jobExpiryMarginMs: number;
  };
  readonly tools: {
    /** `host` (ports 80 and 443 only) or `host:port` entries the http_get tool may fetch. */
    readonly httpAllowedHosts: readonly string[];
    /** The most body http_get reads; past it the request is aborted and the body shown cut. */
    readonly httpGetMaxBytes: number;
  };
  readonly context: {
    readonly maxFacts: number;
    readonly maxValueChars: number;
    readonly promptBudgetChars: number;
    readonly minConfidence: number;
    readonly clearAllowed: 'anyone' | 'approvers';
  };
  readonly http: { readonly port: number; readonly host: string };
  /** Where the health, readiness and metrics routes are served (HEALTH_PORT, PORT). */
  readonly ops: OpsListener;
  readonly slack?: {
    readonly botToken: string;
    readonly signingSecret?: string;
    readonly appToken?: string;
    readonly apiUrl?: string;
    /** The app's manifest declares `agent_view` (agent messaging, sessions, Stop) or the older `assistant_view`. */
    readonly messaging: 'agent' | 'assistant';
    /** The first message of a new DM (agent messaging) or assistant-panel thread, and the prompts it suggests. */
    readonly assistant: { readonly greeting: string; readonly prompts: readonly { readonly title: string; readonly message: string }[] };
  };
  readonly discord?: {
    readonly token: string;
    readonly appId: string;
    readonly guildId?: string;
    readonly apiUrl?: string;
    readonly shards?: number | 'auto';
  };
  /** Raw JSON of the MCP server list; the mcp module validates its shape. */
  readonly mcpServersJson?: string;
}

/**
 * Parses the environment into a frozen Config.
 * @throws ConfigError with a one-line message naming the first bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) throw configErrorFrom(parsed.error);
  const e = parsed.data;
  return deepFreeze({
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      embeddedDir: e.EMBEDDED_PG_DIR,
      embeddedPort: e.EMBEDDED_PG_PORT,
      migrateOnStart: e.MIGRATE_ON_START,
      storeTimeoutMs: e.STORE_TIMEOUT,
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
    requests: {
      ttlMs: e.REQUEST_TTL,
      actionTimeoutMs: e.ACTION_TIMEOUT,
      approvers: e.APPROVERS,
      fourEyes: e.FOUR_EYES,
      notifyApprovers: e.NOTIFY_APPROVERS,
    },
    agent: {
      autoRun: { readOnlyEverywhere: e.AUTO_RUN_READONLY, rules: e.AUTO_RUN_TOOLS.map(autoRunRule) },
      budget: { maxTurns: e.AGENT_MAX_TURNS, maxToolCalls: e.AGENT_MAX_TOOL_CALLS, maxRunMs: e.AGENT_MAX_RUN_TIME, maxCallsPerRequest: e.MAX_CALLS_PER_REQUEST },
      turnRecoveryWindowMs: e.TURN_RECOVERY_WINDOW,
    },
    execution: {
      concurrency: e.WORKER_CONCURRENCY,
      sweepIntervalMs: e.EXPIRY_SWEEP_INTERVAL,
      livenessIntervalMs: e.LIVENESS_SWEEP_INTERVAL,
      jobExpiryMarginMs: e.JOB_EXPIRY_MARGIN,
    },
    tools: { httpAllowedHosts: e.HTTP_ALLOWED_HOSTS, httpGetMaxBytes: e.HTTP_GET_MAX_BYTES },
    context: {
      maxFacts: e.CONTEXT_MAX_FACTS,
      maxValueChars: e.CONTEXT_MAX_VALUE_CHARS,
      promptBudgetChars: e.CONTEXT_PROMPT_BUDGET_CHARS,
      minConfidence: e.CONTEXT_MIN_CONFIDENCE,
      clearAllowed: e.CONTEXT_CLEAR_ALLOWED,
    },
    http: { port: e.PORT, host: e.HOST },
    ops: opsListener(e),
    slack: slackConfig(e),
    discord: discordConfig(e),
    mcpServersJson: e.MCP_SERVERS,
  });
}

/** `tool` or `tool@where`, where is a channel id or `platform:workspace:channel`. */
function autoRunRule(entry: string): AutoRunPolicy['rules'][number] {
  const at = entry.indexOf('@');
  return at < 0 ? { tool: entry } : { tool: entry.slice(0, at), where: entry.slice(at + 1) };
}

function slackConfig(e: Env): Config['slack'] {
  if (!e.SLACK_BOT_TOKEN) {
    if (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
      throw new ConfigError('missing_variable', 'SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
    }
    return undefined;
  }
  if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError(
      'missing_variable',
      'SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    apiUrl: e.SLACK_API_URL,
    messaging: e.SLACK_MESSAGING,
    assistant: { greeting: e.SLACK_ASSISTANT_GREETING, prompts: e.SLACK_ASSISTANT_PROMPTS },
  };
}

function discordConfig(e: Env): Config['discord'] {
  if (!e.DISCORD_TOKEN) return undefined;
  if (!e.DISCORD_APP_ID) throw new ConfigError('missing_variable', 'DISCORD_APP_ID: required when DISCORD_TOKEN is set');
  const shards = e.DISCORD_SHARDS === undefined || e.DISCORD_SHARDS === 'auto' ? e.DISCORD_SHARDS : Number(e.DISCORD_SHARDS);
  if (shards === 0) throw new ConfigError('invalid_variable', "DISCORD_SHARDS: expected 'auto' or at least 1", { variable: 'DISCORD_SHARDS' });
  // Each shard is its own process; the embedded Postgres serves one.
  if (shards !== undefined && !e.DATABASE_URL) throw new ConfigError('missing_variable', 'DATABASE_URL: required when DISCORD_SHARDS is set (every shard process shares it)');
  return {
    token: e.DISCORD_TOKEN,
    appId: e.DISCORD_APP_ID,
    guildId: e.DISCORD_GUILD_ID,
    apiUrl: e.DISCORD_API_URL,
    shards: shards as number | 'auto' | undefined,
  };
}

/** An empty value in a .env file means "not set", as most tools treat it. */
function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
}

function configErrorFrom(error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
  return new ConfigError('invalid_variable', `${variable}: ${message}`, { variable });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
