/**
 * Thread sessions in the core, against real Postgres: a chat turn shows its thread processing
 * then active on a platform that has sessions, and costs exactly the statements it costs where
 * there are none (every store method is one statement: counted at the ports).
 */
import type { ThreadRef } from '../../../src/core/model/conversation';
import type { SessionUpdate } from '../../../src/core/ports/chat-platform';
import { createStores } from '../../../src/db/create-stores';
import { chatAnswer } from '../../fakes/fake-openai';
import { buildCoreOver } from '../../support/core-over-stores';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { RecordingPlatform } from '../../support/recording-platform';

const services = useDatabaseAndModel();

/** A recording platform that shows sessions, as Slack's agent sessions do. */
class SessionPlatform extends RecordingPlatform {
  readonly sessions: { where: ThreadRef; session: SessionUpdate }[] = [];
  async setSession(where: ThreadRef, session: SessionUpdate): Promise<void> {
    this.sessions.push({ where, session });
  }
}

/** A core over the Postgres stores whose calls are counted by store and method. */
function countedCore(platform: RecordingPlatform) {
  const counts = new Map<string, number>();
  const counted = <T extends object>(name: string, store: T): T =>
    new Proxy(store, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          counts.set(`${name}.${String(prop)}`, (counts.get(`${name}.${String(prop)}`) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const stores = Object.fromEntries(Object.entries(createStores(services.db.orm.em.fork(), services.db.sql)).map(([name, store]) => [name, counted(name, store)]));
  const harness = buildCoreOver(stores as ReturnType<typeof createStores>, { platforms: [platform], openAiBaseUrl: services.llm.baseUrl });
  return { harness, counts };
}

async function chat(platform: RecordingPlatform, channel: string): Promise<Map<string, number>> {
  services.llm.fallback(() => chatAnswer('An answer.'));
  const { harness, counts } = countedCore(platform);
  for (const i of [1, 2, 3]) {
    await harness.core.handleMessage({ where: { platform: 'slack', workspace: 'T1', channel, thread: `${i}.0` }, messageId: `${channel}.${i}`, author: { id: 'U1', name: 'alice' }, text: `question ${i}` });
  }
  await harness.core.idle();
  return counts;
}

test('a chat turn shows its thread processing, titled, then active, and its sessions cost no SQL statement', async () => {
  const withSessions = new SessionPlatform('slack');
  const counted = await chat(withSessions, 'CSESSSQL1');
  const without = await chat(new RecordingPlatform('slack'), 'CSESSSQL2');

  await withSessions.waitFor(() => withSessions.sessions.length === 6);
  expect(withSessions.sessions.slice(0, 2)).toEqual([
    { where: expect.objectContaining({ channel: 'CSESSSQL1', thread: '1.0' }), session: { status: 'processing', title: 'question 1', initiatorUserId: 'U1' } },
    { where: expect.objectContaining({ channel: 'CSESSSQL1', thread: '1.0' }), session: { status: 'active' } },
  ]);
  expect([...counted].sort()).toEqual([...without].sort());
  expect([...counted.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
});
