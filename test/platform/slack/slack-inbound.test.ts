/**
 * What the Slack endpoint stores, when, and what it refuses: a message is stored under its
 * author's id before anyone asks Slack for the name; requests from the future, bodies that
 * are not objects and over-long messages cost nothing; clicks meant for another app are
 * acknowledged and left alone.
 */
import { sendSigned } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { holdMessageInserts } from './held-inserts';
import { eventually, SIGNING_SECRET, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  // A store deadline no held insert below comes near: these tests are about order, not time.
  h = await startSlackHarness({ settings: { storeTimeoutMs: 10_000 } });
});
afterAll(() => h.close());

interface UserRow {
  text: string;
  author_name: string;
  metadata: Record<string, unknown>;
}
const userRows = (channel: string) =>
  rows<UserRow>(
    h.db.orm,
    `select m.text, m.author_name, m.metadata from message m join conversation c on c.id = m.conversation_id
     where c.channel_id = ? and m.role = 'user' order by m.created_at`,
    [channel],
  );
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Error lines: a listener that failed, or Bolt's alarm for a request nobody acked within 3 s. */
const errorLines = () => h.logLines().filter((line) => (line.level as number) >= 50);

describe("the author's name", () => {
  test('a message is stored under its author id before users.info is asked, acked while Slack has not answered, and named once it has', async () => {
    const held = await holdMessageInserts(h.db.orm);
    const releaseLookups = h.slack.hold('users.info');
    const asked = () => h.slack.callsOf('users.info').filter((c) => c.params.user === 'U_NAMELESS');

    const ack = h.mention({ channel: 'CNAME1', user: 'U_NAMELESS', text: 'who am I?' });
    await held.insertWaiting();
    const askedBeforeStored = asked().length;
    await held.release();
    const answered = await ack;
    const storedBeforeNamed = await userRows('CNAME1');
    await eventually(() => asked()[0]);
    releaseLookups();

    expect(askedBeforeStored).toBe(0);
    expect(answered.status).toBe(200);
    expect(storedBeforeNamed).toEqual([expect.objectContaining({ text: 'who am I?', author_name: 'U_NAMELESS' })]);
    await eventually(async () => ((await userRows('CNAME1'))[0]!.author_name === 'user-u_nameless' ? true : undefined));
    // The turn waited for the name: the model reads it, not the id.
    const prompt = await eventually(() => h.llm.requestsFor('chat').find((r) => r.prompt.includes('who am I?'))?.prompt);
    expect(prompt).toContain('user-u_nameless: who am I?');
  });

  test('a name already known is stored at once and not looked up again', async () => {
    await h.mention({ channel: 'CNAME2', user: 'U_KNOWN', text: 'first' });
    await eventually(async () => ((await userRows('CNAME2'))[0]?.author_name === 'user-u_known' ? true : undefined));
    const releaseLookups = h.slack.hold('users.info');

    await h.mention({ channel: 'CNAME2', user: 'U_KNOWN', text: 'second' });
    const stored = await userRows('CNAME2');
    releaseLookups();

    expect(stored.map((r) => [r.text, r.author_name])).toEqual([
      ['first', 'user-u_known'],
      ['second', 'user-u_known'],
    ]);
    expect(h.slack.callsOf('users.info').filter((c) => c.params.user === 'U_KNOWN')).toHaveLength(1);
  });
});

describe('hostile input', () => {
  test('a request signed more than five minutes ahead gets 401 and stores nothing; four minutes ahead is taken', async () => {
    const ahead = await h.mention({ channel: 'CSKEW1', user: 'U1', text: 'from the future' }, { timestamp: nowSeconds() + 6 * 60 });
    const near = await h.mention({ channel: 'CSKEW1', user: 'U1', text: 'a slow clock' }, { timestamp: nowSeconds() + 4 * 60 });

    expect([ahead.status, near.status]).toEqual([401, 200]);
    await h.barrier('CSKEW1');
    expect((await userRows('CSKEW1')).map((r) => r.text).filter((t) => !t.startsWith('barrier-'))).toEqual(['a slow clock']);
  });

  test.each([
    ['JSON null', 'null', 'application/json'],
    ['a JSON list', '[{"type":"event_callback"}]', 'application/json'],
    ['a JSON number', '42', 'application/json'],
    ['a JSON string', '"event_callback"', 'application/json'],
    ['a form whose payload is null', 'payload=null', 'application/x-www-form-urlencoded'],
  ])('a validly signed body of %s is answered 400 at once', async (_name, raw, contentType) => {
    const answer = await sendSigned(h.eventsUrl, SIGNING_SECRET, raw, contentType, {});
    const unsigned = await sendSigned(h.eventsUrl, 'not-the-secret', raw, contentType, {});

    expect([answer.status, unsigned.status]).toEqual([400, 401]);
  });

  test('a click on another app\'s select menu is acked with 200 and nothing else happens', async () => {
    const before = h.slack.calls.length;

    const click = await h.click({ channel: 'CFOREIGN', user: 'U1', actionId: 'unused', value: 'unused', messageTs: '1600000500.000100' }, (payload) => {
      payload.actions = [{ type: 'static_select', action_id: 'their_menu', block_id: 'their_block', selected_option: { text: { type: 'plain_text', text: 'One' }, value: 'one' }, action_ts: '1600000500.000200' }];
    });
    await h.barrier('CFOREIGN');

    expect(click.ack.status).toBe(200);
    const answers = h.slack.calls.slice(before).filter((c) => ['chat.postEphemeral', 'chat.update', 'response_url'].includes(c.method));
    expect(answers).toEqual([]);
    expect(h.callsIn('CFOREIGN', 'chat.postMessage').map((c) => c.params.text)).toEqual([expect.stringContaining('barrier-')]);
    expect(errorLines()).toEqual([]);
  });

  test('a 200,000-character message is stored cut to 40,000 with the cut in its metadata, not read, and answered with why', async () => {
    const long = 'abcdefghij'.repeat(20_000);

    const ack = await h.mention({ channel: 'CLONG1', user: 'U1', text: long, ts: '1600000600.000100' });

    expect(ack.status).toBe(200);
    const reply = await eventually(() => h.callsIn('CLONG1', 'chat.postMessage')[0]);
    expect(reply.params).toMatchObject({ thread_ts: '1600000600.000100', text: expect.stringContaining('200,000 characters long and I take at most 40,000, so I did not read it') });
    const [stored] = await userRows('CLONG1');
    expect(stored!.text).toBe(long.slice(0, 40_000));
    expect(stored!.metadata).toEqual({ cut: { originalChars: 200_000, storedChars: 40_000 } });
    expect(h.llm.requests.filter((r) => r.prompt.includes('abcdefghij'))).toEqual([]);
  });

  test('a command inside an over-long message is refused with a clear reply and not run', async () => {
    const command = `!context set project ${'x'.repeat(200_000)}`;

    await h.mention({ channel: 'CLONG2', user: 'U1', text: command, ts: '1600000601.000100' });

    const reply = await eventually(() => h.callsIn('CLONG2', 'chat.postMessage')[0]);
    expect(reply.params.text).toMatch(/^That command is 200,021 characters long and I take at most 40,000, so I did not run it\./);
    await h.barrier('CLONG2');
    expect(await rows(h.db.orm, `select * from conversation_context x join conversation c on c.id = x.conversation_id where c.channel_id = 'CLONG2'`)).toEqual([]);
    expect((await userRows('CLONG2'))[0]!.text).toHaveLength(40_000);
  });
});
