import { BOB, eventually, useMcpKit } from './mcp-kit';

const kit = useMcpKit(({ stdio, http }) => [
  { name: 'fake', ...stdio.launch, trusted: true },
  { name: 'web', url: http.url, trusted: true },
  { name: 'spec', url: http.specUrl, trusted: true },
  { name: 'hasty', url: http.url, trusted: true, timeoutMs: 300 },
  { name: 'fragile', ...stdio.launch, trusted: true },
]);
const open = () => kit.thread();

describe('running MCP tools', () => {
  it('takes !run from card through approval and live progress to the result', async () => {
    const t = open();
    await t.say('!run fake__slow_progress {"steps":3,"delayMs":150}');
    expect(t.card()!.message.card!.elements).toContainEqual({
      type: 'fields',
      fields: expect.arrayContaining([{ label: 'Tool', value: '`fake__slow_progress` (mcp:fake)' }]),
    });
    await t.approve();
    await kit.harness.queue.drain();

    const live = t.progressTexts().filter((text) => text.startsWith('Running'));
    expect(live.some((text) => text.includes('⏳ step 1 of 3'))).toBe(true);
    expect(live.some((text) => text.includes('⏳ step 2 of 3'))).toBe(true);
    expect(t.progressTexts().at(-1)).toMatch(/^Run finished\n✅ calling fake__slow_progress .*\n✅ step 1 of 3 .*\n✅ step 2 of 3/);
    expect(t.result()).toBe('✅ Done: Run fake__slow_progress\nfinished 3 steps');
    const stored = await t.stored();
    expect(stored.find((r) => r.message_type === 'agent_request')?.request_status).toBe('succeeded');
    expect(stored.find((r) => r.message_type === 'agent_result')?.metadata).toMatchObject({ outcome: 'succeeded', output: 'finished 3 steps' });
  });

  it('runs a tool over Streamable HTTP and notes the parts a chat cannot show', async () => {
    const t = open();
    await t.say('!run web__picture {}');
    await t.approve(BOB);
    await kit.harness.queue.drain();
    expect(t.result()).toBe('✅ Done: Run web__picture\na red dot\n[image omitted: image/png]');
  });

  it('sends the MCP cancellation to the server when Cancel is clicked', async () => {
    const t = open();
    await t.say('!run fake__slow_progress {"steps":40,"delayMs":100}');
    await t.approve();
    await eventually(() => expect(t.progressTexts().join('\n')).toContain('step 2 of 40'));
    await t.cancel();
    await kit.harness.queue.drain();

    expect(t.result()).toMatch(/^⏹️ Cancelled.*: Run fake__slow_progress/);
    await eventually(() => expect(kit.stdio.events()).toContainEqual(expect.objectContaining({ event: 'cancelled', tool: 'slow_progress' })));
    expect((await t.stored()).find((r) => r.message_type === 'agent_request')?.request_status).toBe('cancelled');
  });

  it('ends the run failed with the server message when the tool returns isError', async () => {
    const t = open();
    await t.say('!run fake__fail {}');
    await t.approve(BOB);
    await kit.harness.queue.drain();
    expect(t.result()).toBe('❌ Failed: Run fake__fail\nfake__fail failed: the thing is broken');
    expect((await t.stored()).find((r) => r.message_type === 'agent_request')?.request_status).toBe('failed');
  });

  it('fails a call that outlives the server timeout, naming the server and the limit', async () => {
    const t = open();
    await t.say('!run hasty__slow_progress {"steps":5,"delayMs":200}');
    await t.approve();
    await kit.harness.queue.drain();
    expect(t.result()).toBe('❌ Failed: Run hasty__slow_progress\nMCP server "hasty" did not finish slow_progress within 300 ms.');
  });

  it('keeps serving other conversations while one call on the same server is slow', async () => {
    const slow = open();
    const quick = open();
    await slow.say('!run fake__slow_progress {"steps":10,"delayMs":150}');
    await slow.approve();
    await eventually(() => expect(slow.progressTexts().join('\n')).toContain('step 1 of 10'));
    await quick.say('!run fake__echo {"text":"meanwhile"}');
    await quick.approve();
    await eventually(() => expect(quick.result()).toBe('✅ Done: Run fake__echo\necho: meanwhile'));
    expect(slow.result()).toBeUndefined();
    await kit.harness.queue.drain();
    expect(slow.result()).toBe('✅ Done: Run fake__slow_progress\nfinished 10 steps');
  });

  it('fails a call whose server crashes mid-call, and reconnects for the next call', async () => {
    const crashing = open();
    await crashing.say('!run fragile__crash {}');
    await crashing.approve(BOB);
    await kit.harness.queue.drain();
    expect(crashing.result()).toMatch(/^❌ Failed: Run fragile__crash\nMCP server "fragile" stopped answering during crash \(.*Connection closed\); the action failed, and the next call reconnects\.$/);

    const later = open();
    await later.say('!run fragile__echo {"text":"back again"}');
    await later.approve();
    await kit.harness.queue.drain();
    expect(later.result()).toBe('✅ Done: Run fragile__echo\necho: back again');
    const crashed = kit.stdio.events().find((e) => e.tool === 'crash')!;
    const answered = kit.stdio.events().at(-1)!;
    expect(answered).toMatchObject({ event: 'called', tool: 'echo' });
    expect(answered.pid).not.toBe(crashed.pid);
  });

  it.each([
    ['400 "No valid session ID provided", as the reference servers do', 'web', 400],
    ['404, as the spec says', 'spec', 404],
  ] as const)('runs a call once on a new session when a restarted HTTP server answers %s', async (_, server, status) => {
    const runDelete = async (id: string) => {
      const t = open();
      await t.say(`!run ${server}__delete_thing {"id":"${id}"}`);
      await t.approve(BOB);
      await kit.harness.queue.drain();
      return t.result();
    };
    const deletes = () => kit.http.events.filter((e) => e.event === 'called' && e.tool === 'delete_thing').length;
    expect(await runDelete('before')).toBe(`✅ Done: Run ${server}__delete_thing\ndeleted before`);
    const [called, sessions, refusals] = [deletes(), kit.http.sessionsOpened(), kit.http.refused.length];

    await kit.http.restart();
    expect(await runDelete('after')).toBe(`✅ Done: Run ${server}__delete_thing\ndeleted after`);
    expect(deletes()).toBe(called + 1);
    expect(kit.http.sessionsOpened()).toBe(sessions + 1);
    expect(kit.http.refused.slice(refusals).filter((r) => r.method === 'tools/call')).toEqual([{ status, method: 'tools/call' }]);
  });
});
