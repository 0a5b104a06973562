import { join } from 'node:path';
import { createShardManager, isShardProcess, startShards, type RunningShards } from '../../../src/adapters/discord/sharding';
import { createLogger } from '../../../src/logging/logger';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord';

const MAIN = join(__dirname, '../../../src/main.ts');
/** Variables discord.js's ShardingManager writes into the environment of the process that builds it. */
const MANAGER_VARIABLES = ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN', 'FAKE_DISCORD_API_URL'];

/** Runs `body` and puts the environment back, so later clients in this jest worker do not think they are shards. */
async function withCleanEnvironment<T>(body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(MANAGER_VARIABLES.map((name) => [name, process.env[name]]));
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('running Discord sharded', () => {
  it("gives the shard processes this process's Node flags unless told otherwise, so a bot run under tsx keeps loading TypeScript", async () => {
    const ownFlags = process.execArgv;
    // A jest worker has none: stand in for `npm start`, which runs under tsx.
    process.execArgv = ['--import', 'tsx'];
    const manager = await withCleanEnvironment(async () => createShardManager({ token: 'fake-token', shards: 2, entry: MAIN })).finally(() => {
      process.execArgv = ownFlags;
    });

    // discord.js keeps execArgv on the manager, but its typings leave it out.
    expect((manager as unknown as { execArgv: string[] }).execArgv).toEqual(['--import', 'tsx']);
  });

  it('tells a spawned shard process from the manager by the mark discord.js leaves in its environment', () => {
    expect(isShardProcess({ SHARDING_MANAGER: 'true' })).toBe(true);
    expect(isShardProcess({})).toBe(false);
  });

  describe('with real shard processes against the fake Discord', () => {
    let fake: FakeDiscord;
    let shards: RunningShards | undefined;
    beforeAll(async () => {
      fake = await startFakeDiscord();
    });
    afterAll(async () => {
      shards?.stop();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await fake?.close();
    });

    it('starts one process per shard, each identifying with its own shard id', async () => {
      await withCleanEnvironment(async () => {
        process.env.FAKE_DISCORD_API_URL = fake.apiUrl;
        const entry = join(__dirname, 'fixtures/shard-entry.ts');
        shards = startShards({ token: 'fake-token', shards: 2, entry, execArgv: ['--import', 'tsx'] }, createLogger({ level: 'silent' }), 0);
        await shards.spawned;
      });

      expect(shards?.manager.shards.size).toBe(2);
      expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
    }, 20_000);
  });
});
