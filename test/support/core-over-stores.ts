/**
 * The real core over any stores: the Postgres repositories (core-harness.ts) or the memory
 * stores (memory-core.ts). This file loads no ORM, so a core over the memory stores starts
 * in milliseconds.
 */
import { Writable } from 'node:stream';
import { createCore } from '../../src/core/create-core';
import type { Core } from '../../src/core/ports/inbound';
import type { CoreDeps, CoreSettings } from '../../src/core/core-deps';
import type { ChatPlatform } from '../../src/core/ports/chat-platform';
import type { Clock } from '../../src/core/ports/clock';
import type { Metrics } from '../../src/core/ports/metrics';
import { PlatformDirectory } from '../../src/core/ports/platforms';
import type { Tool } from '../../src/core/ports/tools';
import { OpenAiModel } from '../../src/llm/openai-model';
import { createLogger, type Logger } from '../../src/logging/logger';
import { countdownTool } from '../../src/tools/countdown';
import { ToolRegistry } from '../../src/tools/tool-registry';
import { InlineQueue } from './inline-queue';
import type { Stores } from './memory-stores';

/** Defaults for tests: short waits so runs finish fast. */
export const TEST_SETTINGS: CoreSettings = {
  requestTtlMs: 15 * 60_000,
  historyLimit: 20,
  contextBudgetChars: 4000,
  policy: { approvers: [], fourEyes: false },
  actionTimeoutMs: 10_000,
  progressIntervalMs: 50,
  autoRun: { readOnlyEverywhere: false, rules: [] },
  agent: { maxTurns: 8, maxToolCalls: 20, maxRunMs: 60 * 60_000, maxCallsPerRequest: 10 },
  contextMaxValueChars: 500,
  contextMaxFacts: 50,
  contextMinConfidence: 0.6,
  maxConcurrentTurns: 4,
  contextClearAllowed: 'anyone',
  runHeartbeatMs: 100,
  // A message's insert may take seconds on a loaded machine; a test about the deadline sets its
  // own and holds it (see slack-store-deadline), the rest must not race it.
  storeTimeoutMs: 10_000,
  // Fast enough that the per-channel budget never slows a test that is not about it.
  outbound: { perSecond: 1000, burst: 1000, editIntervalMs: 0, retryBaseMs: 10 },
};

/**
 * Settings under which every answer is posted once, whole, however slowly a loaded machine
 * lets the fake model write it: for tests that read answers as posts. (With the default
 * 250 ms buffer a slow completion is streamed instead; streaming has tests of its own.)
 */
export const POSTED_ANSWERS: Partial<CoreSettings> = { liveAnswer: { bufferMs: 60_000, workingAfterMs: 150 } };

/** A pino logger whose JSON lines tests can read back. */
export function memoryLogger(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = createLogger({ level: 'debug', destination: stream });
  return {
    log,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** What a core is built with, besides its stores. */
export interface CoreOptions {
  platforms: ChatPlatform[];
  /** The fake OpenAI base URL; omit for "no model configured". */
  openAiBaseUrl?: string;
  tools?: Tool[];
  settings?: Partial<CoreSettings>;
  /** Default: the wall clock. */
  clock?: Clock;
  log?: Logger;
  llmTimeoutMs?: number;
  llmMaxRetries?: number;
  /** Where the core counts; default none. */
  metrics?: Metrics;
}

export interface Harness {
  core: Core;
  deps: CoreDeps;
  queue: InlineQueue;
  tools: ToolRegistry;
}

/** The real core over `stores`, with the given platforms and an optional fake-OpenAI-backed model; run steps go to an InlineQueue. */
export function buildCoreOver(stores: Stores, options: CoreOptions): Harness {
  const log = options.log ?? createLogger({ level: 'silent' });
  const platforms = new PlatformDirectory();
  for (const p of options.platforms) platforms.register(p);
  const tools = new ToolRegistry(options.tools ?? [countdownTool]);
  let core: Core | null = null;
  const queue = new InlineQueue((id) => core!.advanceRun(id), log, () => core!.idle());
  const model = options.openAiBaseUrl
    ? new OpenAiModel({ apiKey: 'test-key', baseUrl: options.openAiBaseUrl, model: 'test-model', timeoutMs: options.llmTimeoutMs ?? 5000, maxRetries: options.llmMaxRetries ?? 0 }, log)
    : null;
  const { messages, runs, requests, contexts, confirmations, assistantThreads, feedback, schedules, budgets, reminders, policyRules } = stores;
  const deps: CoreDeps = {
    messages,
    runs,
    requests,
    contexts,
    confirmations,
    assistantThreads,
    feedback,
    policyRules,
    schedules,
    budgets,
    reminders,
    platforms,
    model,
    tools,
    queue,
    clock: options.clock ?? { now: () => new Date() },
    log,
    settings: { ...TEST_SETTINGS, ...options.settings },
    metrics: options.metrics,
  };
  core = createCore(deps);
  return { core, deps, queue, tools };
}
