import type { CoreSettings } from '../../../src/core/core-deps';
import type { Metrics } from '../../../src/core/ports/metrics';
import type { Clock } from '../../../src/core/ports/clock';
import type { Tool } from '../../../src/core/ports/tools';
import { DiscordAdapter, startDiscordAdapter } from '../../../src/adapters/discord/discord-adapter';
import type { Logger } from '../../../src/logging/logger';
import { FAKE_DISCORD_IDS, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fakes/fake-discord';
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { buildCore, type Harness } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

import { eventually } from '../../support/eventually';
export { eventually };

/** Everything a Discord platform test talks to: the fakes, real Postgres, the real core and the adapter on a real discord.js client. */
export interface DiscordWorld {
  readonly fake: FakeDiscord;
  readonly llm: FakeOpenAi;
  readonly db: TestDatabase;
  readonly harness: Harness;
  readonly adapter: DiscordAdapter;
  /** The requests (gates) stored, oldest first, with their run's status and their card's message id. */
  requests(): Promise<RequestRow[]>;
  /** Waits for the next request whose card is posted, one this world has not handed out before. */
  nextCard(): Promise<RequestRow & { platform_message_id: string }>;
  /** Stops in the safe order: runs, the client (before the fake it talks to), the fakes, the database. */
  stop(): Promise<void>;
}

/** A request as a Discord test reads it. */
export interface RequestRow {
  id: string;
  request_status: string;
  run_status: string;
  platform_message_id: string | null;
  plan_hash: string;
  /** The token the card's buttons carry. */
  card_token: string | null;
}

export interface WorldOptions {
  tools?: Tool[];
  settings?: Partial<CoreSettings>;
  fake?: FakeDiscordOptions;
  registerCommands?: boolean;
  /** Where the core and the adapter log; default silent. */
  log?: Logger;
  /** Where the core and the adapter count; default none. */
  metrics?: Metrics;
  /** The core's clock; default the wall clock. */
  clock?: Clock;
}

export async function startDiscordWorld(options: WorldOptions = {}): Promise<DiscordWorld> {
  const [db, llm, fake] = await Promise.all([createTestDatabase(), startFakeOpenAi(), startFakeDiscord(options.fake)]);
  const harness = buildCore({ db, platforms: [], openAiBaseUrl: llm.baseUrl, tools: options.tools, settings: options.settings, log: options.log, metrics: options.metrics, clock: options.clock });
  const adapter = await startDiscordAdapter({
    config: { token: 'fake-token', appId: fake.applicationId, guildId: FAKE_DISCORD_IDS.guild, apiUrl: fake.apiUrl, registerCommands: options.registerCommands ?? false, metrics: options.metrics },
    core: harness.core,
    platforms: harness.deps.platforms,
    log: harness.deps.log,
  });
  const requests = () =>
    rows<RequestRow>(
      db.orm,
      `select q.id, q.status as request_status, r.status as run_status, q.card_platform_id as platform_message_id, q.plan_hash, q.card_token
       from agent_request q join agent_run r on r.id = q.run_id order by q.created_at`,
    );
  const handedOut = new Set<string>();
  return {
    fake,
    llm,
    db,
    harness,
    adapter,
    requests,
    nextCard: () =>
      eventually(async () => {
        const found = (await requests()).find((r) => r.platform_message_id !== null && !handedOut.has(r.id));
        if (!found) throw new Error('no new card posted yet');
        handedOut.add(found.id);
        return { ...found, platform_message_id: found.platform_message_id! };
      }),
    stop: async () => {
      await harness.queue.drain();
      await adapter.stop();
      await fake.close();
      await llm.close();
      await db.close();
    },
  };
}
