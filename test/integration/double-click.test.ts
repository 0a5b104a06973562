import { APPROVE_ACTION } from '../../src/core/model/action-ids';
import { countdownTool } from '../../src/tools/countdown';
import { buildCore } from '../support/core-harness';
import { RecordingPlatform } from '../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

describe('a double-clicked Approve', () => {
  it('runs once and tells the clicker their first click counted', async () => {
    const platform = new RecordingPlatform('slack');
    const { core, queue } = buildCore({ db, platforms: [platform], tools: [countdownTool] });
    const where = { platform: 'slack' as const, workspace: 'T1', channel: 'C-double', thread: '1.0' };
    const alice = { id: 'U1', name: 'alice' };
    await core.handleMessage({ where, messageId: 'dc-1', author: alice, text: '!run countdown {"steps":1,"delayMs":0}' });
    const card = platform.posts()[0]!;
    const actions = card.message.card!.elements.find((e) => e.type === 'actions');
    const requestId = actions?.type === 'actions' ? actions.buttons[0]!.value : '';
    const click = () => core.handleAction({ where, messageId: card.messageId, actionId: APPROVE_ACTION, value: requestId, user: alice });

    await Promise.all([click(), click()]);
    await queue.drain();

    expect(platform.ephemerals().map((e) => e.message.text)).toEqual(['You already approved this request.']);
    expect(platform.posts().filter((p) => p.message.text.startsWith('✅ Done'))).toHaveLength(1);
  });
});
