/**
 * What the tests of the core over the memory stores share: a core with a recording platform,
 * in a thread of its own, over stores it may share with a second core (a second process).
 */
import type { AgentBudget } from '../../src/core/model/agent-policy';
import type { Person, ThreadRef } from '../../src/core/model/conversation';
import type { CoreSettings } from '../../src/core/core-deps';
import type { Tool } from '../../src/core/ports/tools';
import type { FakeOpenAi } from '../fakes/fake-openai';
import { TEST_SETTINGS } from '../support/core-over-stores';
import { buildMemoryCore } from '../support/memory-core';
import type { MemoryStores } from '../support/memory-stores';
import { RecordingPlatform } from '../support/recording-platform';

export const alice: Person = { id: 'U_ALICE', name: 'alice' };
export const bob: Person = { id: 'U_BOB', name: 'bob' };

/** Read-only tools run at once: the run needs no decision to go on. */
export const AUTO_RUN: CoreSettings['autoRun'] = { readOnlyEverywhere: true, rules: [] };

let threads = 0;
/** A thread no other test of the file writes to. */
export const newThread = (): ThreadRef => ({ platform: 'slack', workspace: 'T1', channel: `C${++threads}`, thread: `${threads}.1` });

export interface CoreSetupOptions {
  readonly llm?: FakeOpenAi;
  readonly tools?: Tool[];
  readonly settings?: Partial<CoreSettings>;
  readonly agent?: Partial<AgentBudget>;
  /** Another core's stores: this core is then a second process over the same database. */
  readonly stores?: MemoryStores;
}

/** A core over the memory stores with a recording platform, and a thread to talk in. */
export function coreSetup(options: CoreSetupOptions = {}) {
  const platform = new RecordingPlatform('slack');
  const harness = buildMemoryCore({
    platforms: [platform],
    stores: options.stores,
    openAiBaseUrl: options.llm?.baseUrl,
    tools: options.tools,
    settings: { ...options.settings, agent: { ...TEST_SETTINGS.agent, ...options.agent } },
  });
  const where = newThread();
  let messages = 0;
  /** A message from `author`, answered: its turn and every run step it led to. */
  const say = async (text: string, author: Person = alice) => {
    await harness.core.handleMessage({ where, messageId: `${where.thread}.${++messages}`, author, text });
    await harness.queue.drain();
  };
  const posted = () => platform.posts().map((p) => p.message.text);
  const latestRun = async () => (await harness.stores.runs.recentRuns(where, 1))[0]!;
  return { ...harness, platform, where, say, posted, latestRun };
}
