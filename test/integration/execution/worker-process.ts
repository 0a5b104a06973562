/**
 * A bot worker in its own process, for the crash and concurrency tests: builds the app
 * on the database in WORKER_DATABASE_URL, works the queue, and prints every platform call
 * as a JSON line on stdout (logs go to stderr). WORKER_OPTIONS holds JSON
 * `{ settings?, execution?, openAiBaseUrl? }`; with a base URL the worker asks that (fake)
 * model server for its runs' model turns. Run with `node --import tsx`.
 */
import pino from 'pino';
import { createLogger } from '../../../src/logging/logger';
import { OpenAiModel } from '../../../src/llm/openai-model';
import { RecordingPlatform } from '../../support/recording-platform';
import type { WorkerChildOptions } from './worker-child';
import { startWorkerApp } from './worker-app';

async function main(): Promise<void> {
  const url = process.env.WORKER_DATABASE_URL;
  if (!url) throw new Error('WORKER_DATABASE_URL is required');
  const { settings, execution, openAiBaseUrl } = JSON.parse(process.env.WORKER_OPTIONS ?? '{}') as WorkerChildOptions;
  const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const platform = new RecordingPlatform('slack', { idPrefix: `p${process.pid}-`, onCall: print });
  const log = createLogger({ level: process.env.WORKER_LOG_LEVEL ?? 'warn', destination: pino.destination(2) });
  const model = openAiBaseUrl ? new OpenAiModel({ apiKey: 'test-key', baseUrl: openAiBaseUrl, model: 'test-model', timeoutMs: 10_000, maxRetries: 0 }, log) : undefined;
  const app = await startWorkerApp({ url, platform, settings, execution, log, model });
  process.on('SIGTERM', () => void app.stop().finally(() => process.exit(0)));
  print({ kind: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
