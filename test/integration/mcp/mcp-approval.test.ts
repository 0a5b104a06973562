import { chatAnswer, requestAnswer } from '../../fakes/fake-openai';
import { BOB, useMcpKit } from './mcp-kit';

const kit = useMcpKit(
  ({ http }) => [
    { name: 'stranger', url: http.url },
    { name: 'web', url: http.url, trusted: true },
  ],
  { model: true },
);
const open = () => kit.thread();
const fieldsOf = (t: ReturnType<typeof open>) => t.card()!.message.card!.elements.flatMap((e) => (e.type === 'fields' ? e.fields : []));

describe('approving MCP tools by their annotations', () => {
  it('treats a read-only tool from an untrusted server as destructive, so its requester cannot approve it', async () => {
    const t = open();
    await t.say('!run stranger__echo {"text":"hi"}');
    expect(t.card()!.message.card!.accent).toBe('danger');
    expect(kit.harness.tools.find('stranger__echo', t.where)?.caution).toBe(
      'from MCP server "stranger", which is not trusted: its hint that this tool is read-only is ignored, so it counts as destructive',
    );
    expect(fieldsOf(t).map((f) => f.label)).not.toContain('Touches');

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
    expect(kit.harness.tools.find('web__echo', t.where)?.caution).toBeUndefined();
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
    const calls = kit.http.events.length;
    const t = open();
    await t.say('!run web__echo {"text":5}');
    await t.say('!run web__tag_thing {"id":"t1"}');
    expect(t.card()).toBeUndefined();
    const [wrongType, missing] = t.privateReplies();
    expect(wrongType).toMatch(/^Can't run that: web__echo: .*expected string.*text/);
    expect(missing).toMatch(/^Can't run that: web__tag_thing: .*tag/);
    expect(kit.http.events.length).toBe(calls);
  });

  it('lets the model propose an MCP tool it was shown, through the same card and run', async () => {
    const t = open();
    kit.llm.script('chat', requestAnswer('Echo a greeting', [{ tool: 'web__echo', args: { text: 'from the model' } }]), chatAnswer('It said: from the model.'));
    await t.say('please echo a greeting');
    const offered = kit.llm.requestsFor('chat').at(-1)!.body.tools!.map((tool) => tool.function);
    expect(offered).toContainEqual(expect.objectContaining({ name: 'web__echo', description: expect.stringContaining('Echoes the text back.') }));
    expect(fieldsOf(t)).toContainEqual({ label: 'Tool', value: '`web__echo` (mcp:web)' });

    await t.approve();
    await kit.harness.queue.drain();
    // The model read the tool's output and answered in words.
    expect(kit.llm.requestsFor('chat').at(-1)!.body.messages.at(-1)).toMatchObject({ role: 'tool', content: 'echo: from the model' });
    expect(t.posts().at(-1)!.message.text).toBe('It said: from the model.');
  });
});
