/**
 * `npm run bench:startup`: only the start-up part of the benchmark (bench/startup.ts), in
 * alternating rounds of the two ways. Writes bench/startup-results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatAnswer, startFakeOpenAi } from '../test/fakes/fake-openai';
import { startFakeSlack } from '../test/fakes/fake-slack';
import { BenchDatabase } from './bench-database';
import { startupRounds } from './startup';

async function main(): Promise<void> {
  const [slack, llm, db] = await Promise.all([startFakeSlack(), startFakeOpenAi(), BenchDatabase.start(process.env.DATABASE_URL)]);
  llm.fallback(() => chatAnswer('ok'));
  try {
    const { figures, summary } = await startupRounds(Number(process.env.BENCH_ROUNDS ?? 3), { slack, openAiBaseUrl: llm.baseUrl, createDatabase: (name) => db.create(name) });
    writeFileSync(join(__dirname, 'startup-results.json'), JSON.stringify({ rounds: figures, summary }, null, 2));
  } finally {
    await Promise.all([slack.close(), llm.close()]);
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
