import type { MikroORM } from '@mikro-orm/postgresql';
import { createCore } from '../../../src/core/create-core';
import type { Core } from '../../../src/core/ports/inbound';
import type { CoreSettings } from '../../../src/core/core-deps';
import type { ChatPlatform } from '../../../src/core/ports/chat-platform';
import type { Clock } from '../../../src/core/ports/clock';
import type { LanguageModel } from '../../../src/core/ports/language-model';
import { PlatformDirectory } from '../../../src/core/ports/platforms';
import { openConnections, type Connections } from '../../../src/db/orm';
import { createStores } from '../../../src/db/create-stores';
import { Execution } from '../../../src/execution/execution';
import type { ExecutionOptions } from '../../../src/execution/execution-options';
import { createLogger, type Logger } from '../../../src/logging/logger';
import { ToolRegistry } from '../../../src/tools/tool-registry';
import { TEST_SETTINGS } from '../../support/core-harness';
import { testTools } from './test-tools';

/** Options for {@link startWorkerApp}. */
export interface WorkerAppOptions {
  url: string;
  platform: ChatPlatform;
  settings?: Partial<CoreSettings>;
  execution?: Partial<ExecutionOptions>;
  clock?: Clock;
  log?: Logger;
  /** Default none: only explicit commands. */
  model?: LanguageModel;
  /** Start this app's workers and sweep; default true. False: it only proposes, decides and enqueues. */
  work?: boolean;
}

/** One bot process as tests see it: its own ORM, core and pg-boss, on a shared test database. */
export interface WorkerApp {
  readonly core: Core;
  readonly orm: MikroORM;
  /** Its ORM and hot statements' pool. */
  readonly db: Connections;
  readonly execution: Execution;
  work(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Quick timings: a dead worker's step is found by the liveness sweep within a second. pg-boss's
 * own redelivery (job expiry) is set far away, so only the lease can take a run over in a test.
 */
export const TEST_EXECUTION: Omit<ExecutionOptions, 'databaseUrl'> = {
  concurrency: 2,
  sweepIntervalMs: 60_000,
  livenessIntervalMs: 300,
  jobExpirySeconds: 600,
  maintenanceIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  retryLimit: 3,
  retryDelaySeconds: 0,
  stopTimeoutMs: 2000,
};

/** Builds the app the way app.ts does, with the test tools and the given platform. */
export async function startWorkerApp(options: WorkerAppOptions): Promise<WorkerApp> {
  const log = options.log ?? createLogger({ level: 'silent' });
  const db = await openConnections(options.url, { orm: 5, hot: 5 });
  const { orm } = db;
  const em = orm.em.fork();
  const platforms = new PlatformDirectory();
  platforms.register(options.platform);
  const execution = await Execution.open({ ...TEST_EXECUTION, ...options.execution, databaseUrl: options.url }, log);
  const core = createCore({
    platforms,
    ...createStores(em, db.sql),
    model: options.model ?? null,
    tools: new ToolRegistry(testTools(em)),
    queue: execution.queue,
    clock: options.clock ?? { now: () => new Date() },
    log,
    settings: { ...TEST_SETTINGS, ...options.settings },
  });
  if (options.work !== false) await execution.work(core);
  return {
    core,
    orm,
    db,
    execution,
    work: () => execution.work(core),
    stop: async () => {
      await execution.stop();
      await db.close();
    },
  };
}
