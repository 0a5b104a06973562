import { ALICE, BOB, eventually, useMcpKit } from './mcp-kit';

const kit = useMcpKit(({ stdio, http }) => [
  { name: 'fake', ...stdio.launch, trusted: true },
  { name: 'web', url: http.url, trusted: true },
  { name: 'spec', url: http.specUrl, trusted: true },
  { name: 'hasty', url: http.url, trusted: true, timeoutMs: 400 },
  // Progress every 50 ms against a 1 s quiet limit: a loaded machine may delay a notification
  // by hundreds of ms without the call timing out, which is not what these tests are about.
  { name: 'steady', url: http.url, trusted: true, timeoutMs: 1000 },
  { name: 'bounded', url: http.url, trusted: true, timeoutMs: 1000, maxTotalTimeoutMs: 1500 },
  { name: 'fragile', ...stdio.launch, trusted: true },
  { name: 'patient', url: http.url, trusted: true, timeoutMs: 30_000 },
]);
const open = () => kit.thread();
const cancellations = () => kit.http.events.filter((e) => e.event === 'cancelled').length;

describe('running MCP tools', () => {
  it('takes !run from card through approval and live progress to the result', async () => {
    const t = open();
    await t.say('!run fake__slow_progress {"steps":3,"delayMs":150}');
    expect(t.card()!.message.card!.elements).toContainEqual({
      type: 'fields',
      fields: expect.arrayContaining([{ label: 'Tool', value: '`fake__slow_progress` (mcp:fake)' }]),
      whole: true,
    });
    await t.approve();
    await kit.harness.queue.drain();

    const live = t.progressTexts().filter((text) => text.startsWith('Working'));
    expect(live.some((text) => text.includes('↳ step 1 of 3…'))).toBe(true);
    expect(live.some((text) => text.includes('↳ step 2 of 3…'))).toBe(true);
    expect(t.progressTexts().at(-1)).toMatch(/^Run finished\n✅ `fake__slow_progress` .*\n[\s\S]*↳ step 2 of 3 ✓[\s\S]*→ finished 3 steps/);
    expect(t.result()).toBe('✅ Done: Run fake__slow_progress\nfinished 3 steps');
    const stored = await t.stored();
    expect(stored.find((r) => r.message_type === 'agent_request')).toMatchObject({ request_status: 'approved', run_status: 'succeeded' });
    expect(stored.find((r) => r.message_type === 'agent_result')?.metadata).toMatchObject({ outcome: 'succeeded' });
  });

  it('runs a tool over Streamable HTTP and notes the parts a chat cannot show', async () => {
    expect(await open().runApproved('!run web__picture {}', BOB)).toBe('✅ Done: Run web__picture\na red dot\n[image omitted: image/png]');
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
    expect((await t.stored()).find((r) => r.message_type === 'agent_request')?.run_status).toBe('cancelled');
  });

  it('sends the MCP cancellation to the server when the thread is stopped (Slack\'s Stop), as Cancel does', async () => {
    const t = open();
    const cancelledBefore = kit.stdio.events().filter((e) => e.event === 'cancelled').length;
    await t.say('!run fake__slow_progress {"steps":40,"delayMs":100}');
    await t.approve();
    await eventually(() => expect(t.progressTexts().join('\n')).toContain('step 2 of 40'));
    await kit.harness.core.stopThread(t.where, ALICE);
    await kit.harness.queue.drain();

    expect(t.result()).toMatch(/^⏹️ Cancelled.*: Run fake__slow_progress/);
    await eventually(() => expect(kit.stdio.events().filter((e) => e.event === 'cancelled').length).toBe(cancelledBefore + 1));
    expect(t.privateReplies()).toEqual([]);
  });

  it('ends the run failed with the server message when the tool returns isError', async () => {
    const t = open();
    expect(await t.runApproved('!run fake__fail {}', BOB)).toBe('❌ Failed: Run fake__fail\nfake__fail failed: the thing is broken');
    expect((await t.stored()).find((r) => r.message_type === 'agent_request')?.run_status).toBe('failed');
  });

  it('fails a call that goes quiet for longer than the server timeout, naming the server and the limit', async () => {
    const before = cancellations();
    expect(await open().runApproved('!run hasty__slow_progress {"steps":1,"delayMs":2000}')).toBe(
      '❌ Failed: Run hasty__slow_progress\nMCP server "hasty" sent no result or progress for slow_progress in 400 ms (timeoutMs); the call was cancelled.',
    );
    await eventually(() => expect(cancellations()).toBe(before + 1));
  });

  it('lets a call run past the server timeout while it keeps reporting progress', async () => {
    expect(await open().runApproved('!run steady__slow_progress {"steps":40,"delayMs":50}')).toBe('✅ Done: Run steady__slow_progress\nfinished 40 steps');
  });

  it('stops a call that keeps reporting progress past its maximum total time, and tells the server', async () => {
    const before = cancellations();
    const t = open();
    expect(await t.runApproved('!run bounded__slow_progress {"steps":40,"delayMs":50}')).toBe(
      '❌ Failed: Run bounded__slow_progress\nMCP server "bounded" did not finish slow_progress within its limit of 1500 ms in all (maxTotalTimeoutMs); the call was cancelled.',
    );
    expect(t.progressTexts().join('\n')).toContain('step 2 of 40');
    await eventually(() => expect(cancellations()).toBe(before + 1));
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
    expect(await crashing.runApproved('!run fragile__crash {}', BOB)).toMatch(/^❌ Failed: Run fragile__crash\nMCP server "fragile" stopped answering during crash \(.*Connection closed\); the action failed, and the next call reconnects\.$/);

    const later = open();
    expect(await later.runApproved('!run fragile__echo {"text":"back again"}')).toBe('✅ Done: Run fragile__echo\necho: back again');
    const crashed = kit.stdio.events().find((e) => e.tool === 'crash')!;
    const answered = kit.stdio.events().at(-1)!;
    expect(answered).toMatchObject({ event: 'called', tool: 'echo' });
    expect(answered.pid).not.toBe(crashed.pid);
  });

  // The bound is the test's own: a call left to its 30 s timeout would fail with the
  // timeout's message, and later than this test may wait. How soon it fails depends on the
  // machine, so no clock is read; the message says which way it failed.
  it('fails a call at once when its Streamable HTTP server dies mid-call, and the next call after a restart succeeds', async () => {
    const t = open();
    await t.say('!run patient__slow_progress {"steps":50,"delayMs":400}');
    await t.approve();
    await eventually(() => expect(t.progressTexts().join('\n')).toContain('step 1 of 50'));
    await kit.http.kill();
    await kit.harness.queue.drain();
    try {
      expect(t.result()).toMatch(/^❌ Failed: Run patient__slow_progress\nMCP server "patient" stopped answering during slow_progress \(.+\); the action failed, and the next call reconnects\.$/);
      expect((await t.stored()).find((r) => r.message_type === 'agent_request')?.run_status).toBe('failed');
    } finally {
      await kit.http.revive();
    }
    expect(await open().runApproved('!run patient__echo {"text":"back again"}')).toBe('✅ Done: Run patient__echo\necho: back again');
  }, 20_000);

  it.each([
    ['400 "No valid session ID provided", as the reference servers do', 'web', 400],
    ['404, as the spec says', 'spec', 404],
  ] as const)('runs a call once on a new session when a restarted HTTP server answers %s', async (_, server, status) => {
    const runDelete = (id: string) => open().runApproved(`!run ${server}__delete_thing {"id":"${id}"}`, BOB);
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
