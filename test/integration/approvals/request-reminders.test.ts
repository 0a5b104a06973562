/**
 * Reminders and expiry notices on real Postgres, as two bot processes see them: each approver
 * gets one private reminder after REMIND_AFTER and one 2 minutes before expiry however many
 * processes sweep, none once the request is decided, and the thread one expiry notice. Time is
 * the test's clock; the reminder's buttons decide from the approver's own DM.
 */
import type { OutboundMessage } from '../../../src/core/model/card';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import type { Person, ThreadRef } from '../../../src/core/model/conversation';
import type { UserRef } from '../../../src/core/model/inbox';
import { openConnections, type Connections } from '../../../src/db/orm';
import { buildCore, POSTED_ANSWERS, type Harness } from '../../support/core-harness';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { TestClock } from '../../support/memory-stores';
import { RecordingPlatform } from '../../support/recording-platform';

const services = useDatabaseAndModel();
const pools: Connections[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

const MINUTE = 60_000;
const requester: Person = { id: 'U_ASKER', name: 'asker' };
const ana: Person = { id: 'U_ANA', name: 'ana' };
const bo: Person = { id: 'U_BO', name: 'bo' };

/** A platform that also records direct messages, as Slack's and Discord's adapters send them. */
class DmPlatform extends RecordingPlatform {
  readonly dms: { to: UserRef; message: OutboundMessage }[] = [];
  async directMessage(to: UserRef, message: OutboundMessage): Promise<boolean> {
    this.dms.push({ to, message });
    return true;
  }
}

interface Process {
  readonly harness: Harness;
  readonly platform: DmPlatform;
}

async function processOn(clock: TestClock, idPrefix: string): Promise<Process> {
  const db = await openConnections(services.db.url, { orm: 2, hot: 3 });
  pools.push(db);
  const platform = new DmPlatform('slack', { idPrefix });
  const settings = { ...POSTED_ANSWERS, requestTtlMs: 15 * MINUTE, remindAfterMs: 10 * MINUTE, policy: { approvers: [ana.id, bo.id], fourEyes: false } };
  return { harness: buildCore({ db, platforms: [platform], clock, settings }), platform };
}

let channels = 0;
const newPlace = (): ThreadRef => ({ platform: 'slack', workspace: 'T1', channel: `CREMIND${++channels}`, thread: '' });

/** Asks for a gated `!run` in `where`; the request's id, read from its card's Approve button. */
async function ask(p: Process, where: ThreadRef): Promise<string> {
  await p.harness.core.handleCommand({ where, user: requester, name: 'run', args: 'countdown {"steps":1,"delayMs":1}' }, async () => undefined);
  const card = p.platform.posts().find((post) => post.where.channel === where.channel && post.message.card)!;
  return approveButton(card.message)!.value.split(/[.:]/)[0]!;
}

function approveButton(message: OutboundMessage) {
  return message.card?.elements.flatMap((e) => (e.type === 'actions' ? e.buttons : [])).find((b) => b.actionId === APPROVE_ACTION);
}

/** Both processes sweep at once, twice over. */
async function sweepReminders(processes: readonly Process[]): Promise<void> {
  for (let round = 0; round < 2; round++) await Promise.all(processes.map((p) => p.harness.core.remindDueRequests()));
}

const dmsAbout = (processes: readonly Process[], requestId: string) =>
  processes.flatMap((p) => p.platform.dms).filter((dm) => dm.message.card?.elements.some((e) => e.type === 'context' && e.text.includes(requestId)));

test('each approver is reminded once after REMIND_AFTER and once before expiry across two processes; the thread gets one expiry notice', async () => {
  const clock = new TestClock();
  const [a, b] = await Promise.all([processOn(clock, 'a'), processOn(clock, 'b')]);
  const where = newPlace();
  const id = await ask(a, where);

  clock.advance(9 * MINUTE);
  await sweepReminders([a, b]);
  expect(dmsAbout([a, b], id)).toEqual([]);

  clock.advance(MINUTE + 1000);
  await sweepReminders([a, b]);
  const first = dmsAbout([a, b], id);
  expect(first.map((dm) => dm.to.userId).sort()).toEqual([ana.id, bo.id]);
  expect(first[0]!.message.text).toMatch(/^⏰ Reminder: a request still waits for your decision: /);
  expect(approveButton(first[0]!.message)).toBeDefined();

  clock.advance(3 * MINUTE);
  await sweepReminders([a, b]);
  const final = dmsAbout([a, b], id).filter((dm) => dm.message.text.startsWith('⏰ Last call'));
  expect(final.map((dm) => dm.to.userId).sort()).toEqual([ana.id, bo.id]);
  expect(final[0]!.message.text).toMatch(/^⏰ Last call: this request expires at \d\d:\d\d UTC with no decision: /);
  expect(dmsAbout([a, b], id)).toHaveLength(4);

  clock.advance(2 * MINUTE + 1000);
  await Promise.all([a.harness.core.expireDueRequests(), b.harness.core.expireDueRequests()]);
  await sweepReminders([a, b]);
  await Promise.all([a.harness.core.idle(), b.harness.core.idle()]);
  expect(dmsAbout([a, b], id)).toHaveLength(4);
  const notices = [a, b].flatMap((p) => p.platform.posts()).filter((post) => post.where.channel === where.channel && post.message.text.startsWith('⌛'));
  expect(notices.map((n) => n.message.text)).toEqual(['⌛ Expired with no decision; nothing ran: Run countdown\nAsk again with !run countdown {"steps":1,"delayMs":1}']);
  const cardEdits = [a, b].flatMap((p) => p.platform.updates()).filter((u) => u.posted.where.channel === where.channel);
  expect(cardEdits.at(-1)!.message.text).toContain('Expired with no decision');
});

test('a decided request reminds no one, and a reminder decides from the approver\'s own DM', async () => {
  const clock = new TestClock();
  const [a, b] = await Promise.all([processOn(clock, 'c'), processOn(clock, 'd')]);
  const decided = await ask(a, newPlace());
  const other = await ask(a, newPlace());
  await a.harness.core.handleCommand({ where: newPlace(), user: ana, name: 'deny', args: decided }, async () => undefined);

  clock.advance(10 * MINUTE + 1000);
  await sweepReminders([a, b]);
  expect(dmsAbout([a, b], decided)).toEqual([]);

  // Ana approves from her reminder: a click in her DM with the bot, which only she sees.
  const reminder = dmsAbout([a, b], other).find((dm) => dm.to.userId === ana.id)!;
  const button = approveButton(reminder.message)!;
  const replies: string[] = [];
  const dm: ThreadRef = { platform: 'slack', workspace: 'T1', channel: 'D_ANA', thread: '' };
  await b.harness.core.handleAction({ where: dm, messageId: 'dm1', actionId: button.actionId, value: button.value, user: ana, privateSurface: { workspace: 'T1' } }, async (m) => void replies.push(m.text));
  await b.harness.queue.drain();
  expect((await b.harness.deps.requests.getRequest(other))!).toMatchObject({ status: 'approved', decidedBy: { id: ana.id } });

  clock.advance(3 * MINUTE);
  await sweepReminders([a, b]);
  expect(dmsAbout([a, b], other)).toHaveLength(2);
});
