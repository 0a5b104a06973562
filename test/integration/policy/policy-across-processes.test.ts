/**
 * Policy rules over Postgres with two processes (two cores, each on its own connections): a
 * change made in one is seen by the other at once (NOTIFY), and an ordinary chat message costs
 * no policy statement once a process has read its workspace's rules.
 */
import type { Core } from '../../../src/core/ports/inbound';
import { createStores } from '../../../src/db/create-stores';
import { openConnections, type Connections } from '../../../src/db/orm';
import { chatAnswer } from '../../fakes/fake-openai';
import { buildCoreOver } from '../../support/core-over-stores';
import { memoryLogger } from '../../support/core-harness';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { eventually } from '../../support/eventually';
import { RecordingPlatform } from '../../support/recording-platform';

const services = useDatabaseAndModel();
const logs = memoryLogger();
let other: Connections;
beforeAll(async () => {
  other = await openConnections(services.db.url, { orm: 2, hot: 2 });
});
afterAll(() => other?.close());

/** One process: a core over its own stores, whose policy store calls are counted (each is one statement). */
function processOn(connections: Pick<Connections, 'orm' | 'sql'>) {
  const platform = new RecordingPlatform('slack');
  platform.admins.add('U_ADMIN');
  const stores = createStores(connections.orm.em.fork(), connections.sql);
  const calls: string[] = [];
  const policyRules = new Proxy(stores.policyRules, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const harness = buildCoreOver({ ...stores, policyRules }, { platforms: [platform], openAiBaseUrl: services.llm.baseUrl, log: logs.log });
  return { core: harness.core, platform, calls };
}

const where = (channel: string, thread: string) => ({ platform: 'slack' as const, workspace: 'TPOLX', channel, thread });
let commands = 0;
const command = (core: Core, channel: string, user: string, name: string, args: string) =>
  core.handleCommand({ where: where(channel, `${++commands}.0`), user: { id: user, name: user.toLowerCase() }, name, args });
const cards = (p: RecordingPlatform) => p.posts().filter((c) => c.message.text.startsWith('Approval needed'));

test('a rule set in process A is seen by process B: its next !run runs without a card', async () => {
  const a = processOn(services.db);
  const b = processOn(other);
  await command(b.core, 'CX1', 'U1', 'run', 'countdown {"steps":1,"delayMs":0}');
  await eventually(() => expect(cards(b.platform)).toHaveLength(1));

  await command(a.core, 'CX1', 'U_ADMIN', 'policy', 'allow countdown');
  expect(a.platform.posts().map((p) => p.message.text)).toContain('@u_admin let `countdown` run without asking in this channel.');

  // B hears of the change by NOTIFY, a moment after A's commit: asked until one !run shows no card.
  await eventually(async () => {
    const before = cards(b.platform).length;
    await command(b.core, 'CX1', 'U1', 'run', 'countdown {"steps":1,"delayMs":0}');
    expect(cards(b.platform)).toHaveLength(before);
  });
  await eventually(() => expect(b.platform.posts().some((p) => p.message.text.includes('Lift-off'))).toBe(true));
  // B read every rule once, and the workspace's again on hearing of the change: never per message.
  expect(b.calls.filter((c) => c === 'allRules')).toHaveLength(1);
  expect(b.calls.filter((c) => c === 'rulesIn')).toHaveLength(1);
});

test('an ordinary chat message sends no policy statement once the process has read its rules, and hidden tools stay hidden', async () => {
  services.llm.fallback(() => chatAnswer('An answer.'));
  const p = processOn(services.db);
  // As app.ts starts a process: every rule read, and listening, before the first message.
  await p.core.loadPolicy();
  await command(p.core, 'CX2', 'U_ADMIN', 'policy', 'hide countdown');
  // Read again at once after its own change, and once more on hearing its own notice.
  await eventually(() => expect(p.calls).toEqual(['watch', 'allRules', 'setRule', 'rulesIn', 'rulesIn']));
  const before = p.calls.length;
  for (const i of [1, 2, 3]) {
    await p.core.handleMessage({ where: where('CX2', `${i}.0`), messageId: `CX2.${i}`, author: { id: 'U1', name: 'alice' }, text: `question ${i}` });
  }
  await p.core.idle();

  expect(p.calls).toHaveLength(before);
  expect(p.platform.posts().filter((c) => c.message.text === 'An answer.')).toHaveLength(3);
  // The rule was applied from memory: the model was not offered the hidden tool.
  const offered = services.llm.requests.slice(-3).map((r) => (r.body.tools ?? []).map((t) => t.function.name));
  expect(offered).toEqual([['remember'], ['remember'], ['remember']]);
});
