/**
 * A database that is up but does not answer in time: the insert is held behind a table
 * lock past the store deadline. Slack gets an error (so it delivers again) instead of an
 * ack for a message that is not stored; the insert that commits later is still answered,
 * and the redelivery finds it stored and answers nothing twice.
 *
 * The test decides the deadline: it ends the first delivery's wait while its insert is held,
 * and never ends the redelivery's, so the outcome does not depend on the machine's speed.
 */
import { HeldDeadlines } from '../../support/held-deadlines';
import { holdMessageInserts } from './held-inserts';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

const deadlines = new HeldDeadlines();
let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ settings: { storeTimeoutMs: 300 }, clock: deadlines.clock });
});
afterAll(() => h.close());

test('an insert slower than the deadline is answered 503; once it commits the message is answered once, and the redelivery is acked without a second answer', async () => {
  const ts = '1600008000.000100';
  const held = await holdMessageInserts(h.db.orm);

  const delivering = h.mention({ channel: 'CSLOW', user: 'U1', text: 'slow database', ts });
  await held.insertWaiting();
  expect(deadlines.pending).toBe(1);
  deadlines.expireAll();
  const late = await delivering;
  await held.release();
  await eventually(() => h.callsIn('CSLOW', 'chat.postMessage')[0]);
  const redelivered = await h.mention({ channel: 'CSLOW', user: 'U1', text: 'slow database', ts }, { retryNum: 1, retryReason: 'http_error' });
  await h.logged('redelivered message ignored', { messageId: ts });
  await h.barrier('CSLOW');

  expect([late.status, redelivered.status]).toEqual([503, 200]);
  expect(h.callsIn('CSLOW', 'chat.postMessage').map((c) => c.params.text)).toEqual(['re: slow database', expect.stringContaining('barrier-')]);
  expect((await h.stored('CSLOW')).filter((r) => r.text === 'slow database')).toHaveLength(1);
  await h.logged('message stored after the deadline; answering it anyway', { messageId: ts });
});
