import { z } from 'zod';

/** Helpers that turn raw env strings into typed values with messages that say what was expected. */
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Reads a whole number from `min` to `max`, or adds an issue that says what was expected. */
const wholeNumber =
  (min: number, max: number) =>
  (v: string, ctx: z.RefinementCtx): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}, got '${v}'` });
      return z.NEVER;
    }
    return n;
  };

const int = (fallback: number, min: number, max: number) => z.string().default(String(fallback)).transform(wholeNumber(min, max));

/** A whole number that may be left unset. */
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => (v === undefined ? undefined : wholeNumber(min, max)(v, ctx)));

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** `host` or `host:port` (an IPv6 address in brackets), lower-cased. */
const HOST_ENTRY = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

/** A comma-separated list of `host` or `host:port` entries, checked one by one. */
const hostList = list.transform((entries, ctx) =>
  entries.map((raw) => {
    const entry = raw.toLowerCase();
    const port = HOST_ENTRY.exec(entry)?.[3];
    if (!HOST_ENTRY.test(entry) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      ctx.addIssue({ code: 'custom', message: `expected host or host:port entries such as api.example.com or 127.0.0.1:8080, got '${raw}'` });
      return z.NEVER;
    }
    return entry;
  }),
);

const url = z.url({ error: 'expected a URL such as http://127.0.0.1:8080/' }).optional();
const secret = z.string().min(1, { error: 'must not be empty when set' }).optional();

/** Slack's assistant.threads.setSuggestedPrompts takes at most 4 prompts. */
const SUGGESTED_PROMPTS_MAX = 4;
/** Kept to a button's width; Slack cuts longer titles. */
const SUGGESTED_PROMPT_TITLE_MAX = 75;

/** One suggested prompt of Slack's assistant panel: the button's label and the message it sends. */
const suggestedPrompt = z.object({
  title: z.string().trim().min(1, { error: 'a prompt needs a title' }).max(SUGGESTED_PROMPT_TITLE_MAX),
  message: z.string().trim().min(1, { error: 'a prompt needs a message' }),
});

/**
 * Suggested prompts: a JSON array of {title, message}, or `|`-separated messages (each its
 * own title). Slack shows at most {@link SUGGESTED_PROMPTS_MAX}.
 */
const suggestedPrompts = (fallback: readonly { title: string; message: string }[]) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return [...fallback];
      const text = v.trim();
      const raw: unknown = text.startsWith('[') ? parseJson(text, ctx) : text.split('|').map((m) => ({ title: m.trim(), message: m.trim() }));
      const parsed = z.array(suggestedPrompt).min(1).max(SUGGESTED_PROMPTS_MAX).safeParse(raw);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: `expected 1 to ${SUGGESTED_PROMPTS_MAX} prompts as a JSON array of {"title","message"} or a |-separated list: ${parsed.error.issues[0]!.message}` });
      return z.NEVER;
    });

function parseJson(text: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected valid JSON' });
    return z.NEVER;
  }
}

/** What the assistant panel suggests when SLACK_ASSISTANT_PROMPTS is unset. */
export const DEFAULT_ASSISTANT_PROMPTS = [
  { title: 'What can you do?', message: 'What can you do for me, and what needs someone to approve it?' },
  { title: 'What waits for my decision?', message: '!pending' },
  { title: 'What do you remember here?', message: '!context' },
] as const;

/** The assistant panel's first message in a new thread when SLACK_ASSISTANT_GREETING is unset. */
export const DEFAULT_ASSISTANT_GREETING = 'Hi! Ask me anything, or ask me to get something done: I propose it, and nothing runs until a person approves.';

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** A duration such as `15m`, `30s`, `2h` or plain milliseconds. */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const m = DURATION.exec(v.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `expected a duration like 15m, 30s or 5000, got '${v}'` });
        return z.NEVER;
      }
      return Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
    });

/**
 * Every environment variable Switchboard reads. `.env.example` documents each one;
 * keep the two in step.
 */
export const envSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().min(1).default('.data/switchboard.log'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'expected a postgres:// URL' })
    .optional(),
  DATABASE_POOL_MAX: int(10, 1, 200),
  EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
  EMBEDDED_PG_PORT: int(54329, 1024, 65535),
  MIGRATE_ON_START: bool(true),
  // Slack waits 3 s for its answer, and the answer waits for the message to be stored.
  STORE_TIMEOUT: duration('2s').refine((ms) => ms >= 100 && ms < 3000, { error: 'expected at least 100ms and under 3s (Slack waits 3 s for an answer)' }),

  OPENAI_API_KEY: secret,
  OPENAI_BASE_URL: url,
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: int(30_000, 100, 600_000),
  OPENAI_MAX_RETRIES: int(2, 0, 10),

  REQUEST_TTL: duration('15m'),
  ACTION_TIMEOUT: duration('5m'),
  APPROVERS: list,
  FOUR_EYES: bool(false),
  NOTIFY_APPROVERS: bool(false),
  AUTO_RUN_READONLY: bool(false),
  AUTO_RUN_TOOLS: list,
  AGENT_MAX_TURNS: int(8, 1, 100),
  AGENT_MAX_TOOL_CALLS: int(20, 1, 500),
  AGENT_MAX_RUN_TIME: duration('1h'),
  MAX_CALLS_PER_REQUEST: int(10, 1, 25),
  WORKER_CONCURRENCY: int(4, 1, 100),
  EXPIRY_SWEEP_INTERVAL: duration('1m'),
  LIVENESS_SWEEP_INTERVAL: duration('5s'),
  TURN_RECOVERY_WINDOW: duration('10m'),
  JOB_EXPIRY_MARGIN: duration('1m'),
  HTTP_ALLOWED_HOSTS: hostList,
  HTTP_GET_MAX_BYTES: int(1_048_576, 1024, 1_073_741_824),

  CONTEXT_MAX_FACTS: int(50, 1, 1000),
  CONTEXT_MAX_VALUE_CHARS: int(500, 10, 10_000),
  CONTEXT_PROMPT_BUDGET_CHARS: int(4000, 200, 100_000),
  CONTEXT_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
  CONTEXT_CLEAR_ALLOWED: z.enum(['anyone', 'approvers']).default('anyone'),

  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', { error: "expected a bot token starting with 'xoxb-'" }).optional(),
  SLACK_SIGNING_SECRET: secret,
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', { error: "expected an app token starting with 'xapp-'" }).optional(),
  SLACK_API_URL: url,
  SLACK_MESSAGING: z.enum(['agent', 'assistant']).default('agent'),
  SLACK_ASSISTANT_GREETING: z.string().trim().min(1).default(DEFAULT_ASSISTANT_GREETING),
  SLACK_ASSISTANT_PROMPTS: suggestedPrompts(DEFAULT_ASSISTANT_PROMPTS),
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  HEALTH_PORT: optionalInt(0, 65535),

  DISCORD_TOKEN: secret,
  DISCORD_APP_ID: z.string().regex(/^\d+$/, { error: 'expected a numeric application id' }).optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d+$/, { error: 'expected a numeric guild id' }).optional(),
  DISCORD_API_URL: url,
  DISCORD_SHARDS: z
    .string()
    .regex(/^(auto|\d+)$/, { error: "expected 'auto' or a number of shards" })
    .optional(),

  MCP_SERVERS: z.string().optional(),

  // Set by discord.js in the shard processes it spawns (DISCORD_SHARDS), not by operators.
  SHARDING_MANAGER: z.string().optional(),
  SHARDS: optionalInt(0, 100_000),
});

export type Env = z.infer<typeof envSchema>;
