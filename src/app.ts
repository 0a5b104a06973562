/**
 * Assembly: from a Config and a logger, builds the database, the model, the tools, the core,
 * the adapters and the ops routes; starts them; stops them in reverse order. The one file
 * that wires concrete implementations together. The process around it (.env, signals,
 * shards, V8 flags) is main.ts's.
 */
import { userInfo } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from './adapters/console/console-adapter';
import type { Config } from './config/config';
import { createCore } from './core/create-core';
import type { Core } from './core/ports/inbound';
import type { CoreSettings } from './core/core-deps';
import type { Clock } from './core/ports/clock';
import type { LanguageModel } from './core/ports/language-model';
import type { Metrics } from './core/ports/metrics';
import type { Tool } from './core/ports/tools';
import { PlatformDirectory } from './core/ports/platforms';
import { openDatabase } from './db/database';
import { createStores } from './db/create-stores';
import { Execution } from './execution/execution';
import type { Logger } from './logging/logger';
import type { OpenAiModelOptions } from './llm/openai-model';
import { parseMcpServers } from './mcp/mcp-config';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { databaseChecks, jobQueueCheck, platformCheck } from './ops/checks';
import { opsRoutes, type HttpRoute } from './ops/ops-routes';
import { startOpsServer } from './ops/ops-server';
import { Readiness } from './ops/readiness';
import { countdownTool } from './tools/countdown';
import { httpGetTool } from './tools/http-get';
import { readChannelTool } from './tools/read-channel';
import { scheduleTaskTool } from './tools/schedule-task';
import { sendFileTool } from './tools/send-file';
import { ToolRegistry } from './tools/tool-registry';

/** The real time, for the core's clock port. */
const systemClock: Clock = { now: () => new Date() };

/**
 * Parts loaded only when the configuration asks for them (#16): a console-only or Slack-only
 * process never loads discord.js, the MCP SDK or, without a model, the openai SDK. Through
 * `require`, as database.ts loads the embedded Postgres: tsx, jest and node resolve it alike.
 */
const onDemand = {
  slack: () => require('./adapters/slack/slack-adapter') as typeof import('./adapters/slack/slack-adapter'),
  discord: () => require('./adapters/discord/discord-adapter') as typeof import('./adapters/discord/discord-adapter'),
  mcp: () => require('./mcp/connect-mcp-servers') as typeof import('./mcp/connect-mcp-servers'),
  llm: () => require('./llm/openai-model') as typeof import('./llm/openai-model'),
};

/** What a running Switchboard exposes to its starter (main.ts, or a test). */
export interface RunningSwitchboard {
  readonly core: Core;
  /** Resolves when the console's input ends (never, when no console runs). */
  readonly consoleDone: Promise<void>;
  /** Where /healthz, /readyz and /metrics answer (Slack's port in HTTP mode); null when nowhere. */
  readonly opsPort: number | null;
  stop(): Promise<void>;
}

/** Where the console reads and writes; default stdin/stdout. */
export interface ConsoleIo {
  input: Readable;
  output: Writable;
}

/** Builds and starts everything the config asks for; on a failed start, closes what it opened. */
export async function startSwitchboard(config: Config, log: Logger, io?: ConsoleIo): Promise<RunningSwitchboard> {
  const mcpServers = parseMcpServers(config.mcpServersJson); // a bad MCP_SERVERS stops start-up before anything opens
  const closers = new Closers();
  try {
    return await assemble(config, log, mcpServers, closers, io);
  } catch (error) {
    await closers.closeAll().catch((err: unknown) => log.error({ err }, 'could not close everything after a failed start'));
    throw error;
  }
}

/** What has been opened, closed in reverse order. */
class Closers {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async closeAll(): Promise<void> {
    while (this.steps.length) await this.steps.pop()!();
  }
}

/** Opens each part in order, registering how to close it and how to tell it is ready, and starts the adapters last. */
async function assemble(
  config: Config,
  log: Logger,
  mcpServers: ReturnType<typeof parseMcpServers>,
  closers: Closers,
  io?: ConsoleIo,
): Promise<RunningSwitchboard> {
  const ops = await openOps(config, log, closers);
  const db = await openDatabase(config.database, log);
  closers.add(() => db.close());
  for (const check of databaseChecks(db)) ops.readiness.add(check);
  const stores = createStores(db.orm.em.fork(), db.sql);
  const model = config.llm.apiKey ? openAiModel({ ...config.llm, apiKey: config.llm.apiKey }, log.child({ module: 'llm' })) : null;
  // A tool built here with the schedule store passed in: the core offers no tools of its own that run as calls.
  const scheduleTask = scheduleTaskTool({ schedules: stores.schedules, clock: systemClock, timeZone: config.schedules.timeZone });
  const tools = await buildTools(config, mcpServers, log, closers, [scheduleTask]);
  const { platforms, slack, discord } = buildPlatforms(config, log, ops);
  if (slack) ops.readiness.add(platformCheck('slack', slack));
  if (discord) ops.readiness.add(platformCheck('discord', discord));
  const execution = await Execution.open({ ...config.execution, scheduleIntervalMs: config.schedules.sweepIntervalMs, jobExpirySeconds: jobExpirySeconds(config), databaseUrl: db.orm.config.get('clientUrl')! }, log);
  ops.readiness.add(jobQueueCheck(execution));
  ops.metrics.sampleQueueDepth(() => execution.queueDepth());
  // Runs post and edit through the adapters until they end: stop them first.
  closers.add(async () => {
    await slack?.stop();
    await execution.stop();
    await discord?.stop();
  });
  const core = createCore({ platforms, ...stores, model, tools, queue: execution.queue, clock: systemClock, log, settings: coreSettings(config), metrics: ops.metrics });

  // Every policy rule in memory before the first message, so no message waits on reading them.
  // A process started before the release phase migrated must still start (and say it is not
  // ready): then the first message that needs the rules reads them.
  await core.loadPolicy().catch((error: unknown) => log.warn({ err: error }, 'policy rules not read at start-up; the first message that needs them reads them'));

  const consoleAdapter = runsConsole(config) ? new ConsoleAdapter({ ...(io ?? { input: process.stdin, output: process.stdout }), user: consoleUser() }) : null;
  if (consoleAdapter) platforms.register(consoleAdapter);
  const slackPort = slack ? (await slack.start(core)).port : null;
  if (discord) await discord.start(core);
  // Workers start once every adapter is registered: a recovered run may post at once.
  await execution.work(core);
  const consoleDone = consoleAdapter ? consoleAdapter.run(core).then(() => settle(core, execution)) : new Promise<void>(() => undefined);
  ops.readiness.started();
  log.info({ console: Boolean(consoleAdapter), model: Boolean(model) }, 'switchboard started');
  return {
    core,
    consoleDone,
    opsPort: ops.port ?? (ops.slackRoutes ? slackPort : null),
    stop: async () => {
      await closers.closeAll();
      log.info('switchboard stopped');
    },
  };
}

/**
 * Waits until what the console's input started has finished: the run steps this process
 * enqueued, and what the core tells about them in the background (which may enqueue more).
 * A run waiting for a decision is not waited for.
 */
async function settle(core: Core, execution: Execution): Promise<void> {
  do {
    await execution.drain();
    await core.idle();
  } while (await execution.queue.hasUnfinished());
}

/**
 * Metrics, readiness and their routes: on a server of their own, opened first so that
 * /healthz answers during a long start-up, or handed to Slack's HTTP server (config.ops).
 */
async function openOps(config: Config, log: Logger, closers: Closers) {
  const metrics = new PrometheusMetrics({ onSampleError: (err) => log.debug({ err }, 'could not read the job queue depth') });
  const readiness = new Readiness(log.child({ module: 'readiness' }));
  const routes = opsRoutes(readiness, metrics, log.child({ module: 'ops' }));
  const listen = config.ops;
  const server = listen.on === 'own' ? await startOpsServer(routes, { port: listen.port, host: config.http.host, variable: listen.variable }) : null;
  if (server) closers.add(() => server.close());
  return { metrics, readiness, port: server?.port ?? null, slackRoutes: listen.on === 'slack' ? routes : null };
}

/**
 * The model, its SDK loaded at the first call: the openai package is not on the way to the
 * first ack (#16), and a turn pays the ~50 ms once.
 */
function openAiModel(options: OpenAiModelOptions, log: Logger): LanguageModel {
  let model: LanguageModel | null = null;
  return { complete: (request) => (model ??= new (onDemand.llm().OpenAiModel)(options, log)).complete(request) };
}

/** The built-in tools, `wired` (built-ins that need the stores), plus every reachable MCP server's. */
async function buildTools(
  config: Config,
  mcpServers: ReturnType<typeof parseMcpServers>,
  log: Logger,
  closers: Closers,
  wired: readonly Tool[],
): Promise<ToolRegistry> {
  const httpGet = httpGetTool({ allowedHosts: config.tools.httpAllowedHosts, maxBytes: config.tools.httpGetMaxBytes });
  const tools = new ToolRegistry([countdownTool, httpGet, readChannelTool, sendFileTool, ...wired]);
  if (mcpServers.length === 0) return tools;
  const mcp = await onDemand.mcp().connectMcpServers(mcpServers, log.child({ module: 'mcp' }));
  closers.add(() => mcp.close());
  for (const source of mcp.sources) tools.addSource(source);
  return tools;
}

/** The chat platforms the config names; the console joins later, only when there is none. */
function buildPlatforms(config: Config, log: Logger, ops: { slackRoutes: readonly HttpRoute[] | null; metrics: Metrics }) {
  const platforms = new PlatformDirectory();
  const { metrics } = ops;
  const slack = config.slack ? new (onDemand.slack().SlackAdapter)({ ...config.slack, http: config.http, log, routes: ops.slackRoutes ?? [], metrics }) : null;
  if (slack) platforms.register(slack);
  const discord = config.discord ? new (onDemand.discord().DiscordAdapter)({ ...config.discord, metrics }, log) : null;
  if (discord) platforms.register(discord);
  return { platforms, slack, discord };
}

function coreSettings(config: Config): CoreSettings {
  return {
    requestTtlMs: config.requests.ttlMs,
    historyLimit: 20,
    contextBudgetChars: config.context.promptBudgetChars,
    policy: { approvers: config.requests.approvers, fourEyes: config.requests.fourEyes, policyAdmins: config.requests.policyAdmins },
    notifyApprovers: config.requests.notifyApprovers,
    actionTimeoutMs: config.requests.actionTimeoutMs,
    progressIntervalMs: 1000,
    autoRun: config.agent.autoRun,
    agent: config.agent.budget,
    turnRecovery: { leaseMs: 15_000, windowMs: config.agent.turnRecoveryWindowMs },
    contextMaxValueChars: config.context.maxValueChars,
    contextMaxFacts: config.context.maxFacts,
    contextMinConfidence: config.context.minConfidence,
    maxConcurrentTurns: config.database.poolMax,
    storeTimeoutMs: config.database.storeTimeoutMs,
    contextClearAllowed: config.context.clearAllowed,
    schedules: { timeZone: config.schedules.timeZone, catchUpMs: config.schedules.catchUpMs },
    files: { vision: config.files.modelVision, imageMaxBytes: config.files.imageMaxBytes, textMaxChars: config.files.textMaxChars },
    budgets: config.budgets,
    remindAfterMs: config.requests.remindAfterMs,
  };
}

/** A step job's longest life: every call of a full card using its whole timeout, plus the margin. */
function jobExpirySeconds(config: Config): number {
  return Math.ceil((config.requests.actionTimeoutMs * config.agent.budget.maxCallsPerRequest + config.execution.jobExpiryMarginMs) / 1000);
}

/** With neither Slack nor Discord configured, the chat happens in this terminal. */
export function runsConsole(config: Config): boolean {
  return !config.slack && !config.discord;
}

function consoleUser() {
  const name = userInfo().username || 'you';
  return { id: `local:${name}`, name };
}
