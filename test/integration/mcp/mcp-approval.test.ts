import { requestAnswer, startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { startFakeMcpHttp, type FakeMcpHttp } from '../../fakes/mcp/fake-mcp-http';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { BOB, coreWithMcp, thread } from './mcp-kit';

let db: TestDatabase;
let http: FakeMcpHttp;
let llm: FakeOpenAi;
let kit: Awaited<ReturnType<typeof coreWithMcp>>;

beforeAll(async () => {
  db = await createTestDatabase();
  http = await startFakeMcpHttp();
  llm = await startFakeOpenAi();
  kit = await coreWithMcp(
    db.orm,
    [
      { name: 'stranger', url: http.url },
      { name: 'web', url: http.url, trusted: true },
    ],
    { openAiBaseUrl: llm.baseUrl },
  );
});
afterAll(async () => {
  await kit.harness.queue.drain();
  await kit.mcp.close();
  await http.close();
  await llm.close();
  await db.close();
});

const open = () => thread(db.orm, kit.harness, kit.platform);
const fieldsOf = (t: ReturnType<typeof open>) => t.card()!.message.card!.elements.flatMap((e) => (e.type === 'fields' ? e.fields : []));

describe('approving MCP tools by their annotations', () => {
  it('treats a read-only tool from an untrusted server as destructive, so its requester cannot approve it', async () => {
    const t = open();
    await t.say('!run stranger__echo {"text":"hi"}');
    expect(t.card()!.message.card!.accent).toBe('danger');
    expect(fieldsOf(t)).toContainEqual({ label: 'Touches', value: expect.stringContaining('MCP server "stranger" is not trusted') });

    await t.approve();
    expect(t.privateReplies()).toContain('This request is destructive: only a workspace admin can approve it.');
    expect(t.result()).toBeUndefined();

    await t.approve(BOB);
    await kit.harness.queue.drain();
    expect(t.result()).toBe('✅ Done: Run stranger__echo\necho: hi');
  });

  it('treats a read-only tool from a trusted server as safe, so its requester may approve it', async () => {
    const t = open();
    await t.say('!run web__echo {"text":"hi"}');
    const card = t.card()!.message.card!;
    expect(card.accent).toBe('warning');
    expect(card.elements).toContainEqual({ type: 'header', text: 'Request needs approval' });

    await t.approve();
    await kit.harness.queue.drain();
    expect(t.result()).toBe('✅ Done: Run web__echo\necho: hi');
  });

  it('counts a trusted tool as destructive unless it says destructiveHint false', async () => {
    const deleting = open();
    await deleting.say('!run web__delete_thing {"id":"t1"}');
    expect(deleting.card()!.message.card!.accent).toBe('danger');

    const tagging = open();
    await tagging.say('!run web__tag_thing {"id":"t1","tag":"blue"}');
    expect(tagging.card()!.message.card!.accent).toBe('warning');
  });

  it('refuses arguments that fail the tool input schema before any card, without calling the server', async () => {
    const calls = http.events.length;
    const t = open();
    await t.say('!run web__echo {"text":5}');
    await t.say('!run web__tag_thing {"id":"t1"}');
    expect(t.card()).toBeUndefined();
    const [wrongType, missing] = t.privateReplies();
    expect(wrongType).toMatch(/^Can't run that: "web__echo: .*expected string.*text/);
    expect(missing).toMatch(/^Can't run that: "web__tag_thing: .*tag/);
    expect(http.events.length).toBe(calls);
  });

  it('lets the model propose an MCP tool it was shown, through the same card and run', async () => {
    const t = open();
    llm.script('intent', requestAnswer('Echo a greeting', [{ tool: 'web__echo', args: { text: 'from the model' } }]));
    await t.say('please echo a greeting');
    const prompt = llm.requestsFor('intent').at(-1)!.prompt;
    expect(prompt).toContain('web__echo');
    expect(prompt).toContain('Echoes the text back.');
    expect(fieldsOf(t)).toContainEqual({ label: 'Tool', value: '`web__echo` (mcp:web)' });

    await t.approve();
    await kit.harness.queue.drain();
    expect(t.result()).toBe('✅ Done: Echo a greeting\necho: from the model');
  });
});
