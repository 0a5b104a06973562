/**
 * Validly signed garbage at the real Bolt HTTP receiver (the Slack adapter over the real core
 * and Postgres): whatever the body, the bot answers 2xx or 4xx, never 5xx; no listener throws;
 * the process keeps going (no unhandled rejection) and nothing is stored. Only Slack (or whoever
 * holds the signing secret) can send these, so this guards against Slack's odd payloads and
 * our own decoding, not against strangers: unsigned requests never get past the signature check.
 */
import fc from 'fast-check';
import { ACTION_IDS } from '../../../src/core/model/action-ids';
import { sendSigned, UNROUTABLE_RESPONSE_URL } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { anyJson, chatText } from '../../support/hostile-input';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../slack/slack-harness';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

let h: SlackHarness;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  h = await startSlackHarness();
});
afterAll(async () => {
  await h.close();
  process.off('unhandledRejection', onRejection);
});

/** A JSON value that is not a string: what a broken field holds. */
const notText = anyJson.filter((v) => typeof v !== 'string');
const slackTs = fc.integer({ min: 1_600_000_000, max: 1_700_000_000 }).map((s) => `${s}.000100`);

/**
 * A message or mention event with one field broken: a field Slack always sends missing or
 * not text, or a field it may leave out present but not text.
 */
const brokenEvent = fc
  .record({
    event: fc.record({
      type: fc.constantFrom('message', 'app_mention'),
      channel: fc.constantFrom('CJUNK1', 'DJUNK2'),
      channel_type: fc.constantFrom('im', 'channel'),
      user: fc.constantFrom('U1', 'U2'),
      text: fc.oneof(chatText(), fc.constant('<@U_BOT> please run !context set project name x')),
      ts: slackTs,
    }),
    broken: fc.oneof(
      fc.record({ field: fc.constantFrom('channel', 'user', 'ts'), junk: fc.option(notText, { nil: undefined }) }),
      fc.record({ field: fc.constantFrom('text', 'channel_type', 'thread_ts', 'subtype', 'bot_id'), junk: notText }),
    ),
  })
  .map(({ event, broken }) => ({ ...event, [broken.field]: broken.junk }));

/**
 * Events API bodies: JSON of any shape, envelopes without or with a broken event, and text
 * that is not JSON. Never `null`: Bolt's HTTPReceiver reads `body.ssl_check` of a signed
 * `null` body outside any try, an unhandled rejection that ends the process (reported, upstream).
 */
let events = 0;
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).filter((value) => value !== null).map((value) => JSON.stringify(value)),
  chatText().filter((text) => text.trim() !== 'null'),
  fc.tuple(fc.oneof(brokenEvent, notText), anyJson).map(([event, teamId]) =>
    JSON.stringify({ type: 'event_callback', team_id: teamId, api_app_id: 'A1', event_id: 'Ev1', event_time: 1, event }),
  ),
  brokenEvent.map((event) => JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: `Ev${++events}`, event_time: 1, event })),
);

/** block_actions payloads for our buttons with any of their parts missing or of the wrong kind. */
const clickPayload = fc
  .record({
    type: fc.constantFrom('block_actions', 'block_actions', 'view_submission', 'shortcut'),
    // Never a string or a list starting with one: Bolt's own action matching uses `in` on the
    // first action and throws in every listener, logged and answered 404 (reported, upstream).
    actions: fc.oneof(
      fc.array(fc.record({ type: fc.constant('button'), action_id: fc.oneof(fc.constantFrom(...ACTION_IDS), anyJson), value: anyJson }), { maxLength: 2 }),
      fc.array(fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), anyJson, { maxKeys: 2 })), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 4 }), anyJson, { maxKeys: 2 }),
    ),
    user: fc.oneof(fc.record({ id: anyJson, name: anyJson }), anyJson),
    team: fc.oneof(fc.record({ id: anyJson }), anyJson),
    channel: fc.oneof(fc.record({ id: fc.oneof(fc.constant('CJUNK3'), anyJson) }), anyJson),
    container: fc.oneof(fc.record({ channel_id: anyJson, message_ts: anyJson, is_ephemeral: anyJson }), anyJson),
    message: fc.oneof(fc.record({ ts: fc.oneof(slackTs, anyJson) }), anyJson),
    // Never a URL the bot could reach outside this machine.
    response_url: fc.constantFrom(UNROUTABLE_RESPONSE_URL, 'not a url', undefined),
  })
  .map((payload) => JSON.stringify(payload));

/** Interaction and slash-command forms: a payload that is not JSON or broken, fields sent twice or missing. */
const formBody = fc.oneof(
  clickPayload.map((payload) => new URLSearchParams({ payload }).toString()),
  chatText().filter((text) => text.trim() !== 'null').map((payload) => new URLSearchParams({ payload }).toString()),
  fc
    .record({
      command: fc.constantFrom('/context', '/switchboard', '/other'),
      text: fc.oneof(chatText(), fc.constant('set project name x')),
      brokenField: fc.constantFrom('team_id', 'channel_id'),
      repeated: fc.boolean(),
    })
    .map(({ command, text, brokenField, repeated }) => {
      const fields = new URLSearchParams({ command, text, user_id: 'U1', user_name: 'alice', response_url: UNROUTABLE_RESPONSE_URL, trigger_id: '1.2.3' });
      // The broken field is either missing or sent twice (which a form parser turns into a list).
      for (const name of ['team_id', 'channel_id']) if (name !== brokenField || repeated) fields.append(name, name === 'team_id' ? 'T1' : 'CJUNK4');
      if (repeated) fields.append(brokenField, 'again');
      return fields.toString();
    }),
  fc.array(fc.tuple(fc.constantFrom('payload', 'command', 'text', 'type', 'ssl_check', 'token'), chatText(4).filter((v) => v.trim() !== 'null')), { maxLength: 6 }).map((pairs) =>
    new URLSearchParams(pairs).toString(),
  ),
  chatText(),
);

const anyBody = fc.oneof(
  jsonBody.map((raw) => ({ contentType: JSON_TYPE, raw })),
  formBody.map((raw) => ({ contentType: FORM_TYPE, raw })),
);

describe('signed garbage at the Slack endpoint', () => {
  // Sent 25 at a time: a body Bolt cannot place is answered 404 only after its 3 s ack deadline.
  test('any Events API, interaction or slash-command body is answered 2xx or 4xx, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyBody, { minLength: 25, maxLength: 25 }), async (bodies) => {
        const answers = await Promise.all(
          bodies.map(async (body) => ({ ...body, status: (await sendSigned(h.eventsUrl, SIGNING_SECRET, body.raw, body.contentType, {})).status })),
        );
        expect(answers.filter((a) => a.status < 200 || a.status >= 500)).toEqual([]);
      }),
      { numRuns: 2, endOnFailure: true },
    );
  });

  // Found by the property above: Bolt answered both 500 (and Slack retries a 500).
  test.each([
    ['an event that is null', JSON_TYPE, JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'EvNull', event_time: 1, event: null })],
    ['a click without a user', FORM_TYPE, new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [{ type: 'button', action_id: ACTION_IDS[0], value: 'x' }], team: { id: 'T1' } }) }).toString()],
  ])('a body with %s is answered 400', async (_name, contentType, raw) => {
    expect((await sendSigned(h.eventsUrl, SIGNING_SECRET, raw, contentType, {})).status).toBe(400);
  });

  // Found by the property above once Bolt's Assistant ran on every request: both were a 500.
  test.each([
    ['a click with no action', FORM_TYPE, new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [], user: { id: 'U1' }, team: { id: 'T1' } }) }).toString()],
    [
      'a direct message whose thread is null',
      JSON_TYPE,
      JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'EvDm', event_time: 1, event: { type: 'message', channel: 'DJUNK9', channel_type: 'im', user: 'U1', text: 'hi', ts: '1698470947.000100', thread_ts: null } }),
    ],
  ])('a body with %s is not answered 5xx', async (_name, contentType, raw) => {
    const { status } = await sendSigned(h.eventsUrl, SIGNING_SECRET, raw, contentType, {});
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
  });

  test('afterwards the bot still answers, nothing was stored, and no listener or promise failed', async () => {
    await h.barrier('CBARRIER');

    const messages = await rows<{ channel: string }>(h.db.orm, `select c.channel_id as channel from message m join conversation c on c.id = m.conversation_id`);
    expect(new Set(messages.map((m) => m.channel))).toEqual(new Set(['CBARRIER']));
    expect(await rows(h.db.orm, 'select * from conversation_context')).toEqual([]);
    expect(h.llm.requests).toHaveLength(1);
    // Bolt's own alarm for the bodies it could not place (answered 404) is the one error line expected.
    const errors = h.logLines().filter((line) => (line.level as number) >= 50 && !String(line.msg).startsWith('An incoming event was not acknowledged'));
    expect(errors).toEqual([]);
    expect(rejections).toEqual([]);
  });
});
