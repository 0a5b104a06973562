import { chatAnswer } from '../../fakes/fake-openai';
import { eventually, useMcpKit } from './mcp-kit';

const kit = useMcpKit(
  ({ stdio, http }) => [
    { name: 'fake', ...stdio.launch, trusted: true },
    { name: 'web', url: http.url, headers: { 'x-team': 'blue' } },
    { name: 'ops', url: http.url, scope: { channels: ['C-ops'] } },
    { name: 'elsewhere', url: http.url, scope: { platforms: ['discord'] } },
    { name: 'narrow', url: http.url, allowTools: ['echo'] },
    { name: 'broken', command: '/nonexistent/mcp-server' },
    { name: 'mute', command: process.execPath, args: ['-e', 'process.stdin.resume()'], startupTimeoutMs: 300 },
  ],
  { model: true },
);

const here = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
const TASK_ONLY = 'web__simulate-research-query';
const NEEDS_TASKS = 'it can only run as an MCP task (execution.taskSupport "required"), which Switchboard does not support';

async function help(channel?: string): Promise<string> {
  const t = kit.thread(channel);
  await t.say('!help');
  return t.privateReplies().at(-1)!;
}

describe('discovering MCP tools', () => {
  it('lists a stdio server tools as <server>__<tool> in !help, with their risk and origin', async () => {
    const text = await help();
    expect(text).toContain('• fake__echo (read-only) [mcp:fake] — Echoes the text back.');
    expect(text).toContain('• fake__delete_thing (destructive) [mcp:fake] — Deletes a thing.');
    expect(text).toContain('• fake__tag_thing [mcp:fake] — Adds a tag to a thing; changes it but destroys nothing.');
    expect(text).toContain('• fake__slow_progress (read-only) [mcp:fake]');
  });

  it('lists an HTTP server tools, calling it with the configured headers', async () => {
    expect(await help()).toContain('• web__echo (destructive) [mcp:web] — Echoes the text back.');
    expect(kit.http.headers.some((h) => h['x-team'] === 'blue')).toBe(true);
  });

  it('offers a server tools only in the conversations its scope allows', async () => {
    expect(await help('C-ops')).toContain('ops__echo');
    expect(await help()).not.toContain('ops__echo');
    expect(await help()).not.toContain('elsewhere__echo');

    const t = kit.thread();
    await t.say('!run ops__echo {"text":"hi"}');
    expect(t.privateReplies()).toEqual([`Can't run that: "ops__echo" is not a tool available in this channel. Try !help for the tools.`]);
    expect(t.card()).toBeUndefined();
  });

  it('offers only the tools its allow-list names', async () => {
    const text = await help();
    expect(text).toContain('narrow__echo');
    expect(text).not.toContain('narrow__delete_thing');
  });

  it('picks up tools a server adds while running, when it says its list changed', async () => {
    expect(await help()).not.toContain('web__added_later');
    kit.http.addTool('added_later');
    await eventually(() => expect(kit.harness.tools.find('web__added_later', here)?.origin).toBe('mcp:web'));
    expect(await help()).toContain('• web__added_later (destructive) [mcp:web] — A tool added later: added_later.');
  });

  it('keeps a tool that runs only as an MCP task from the model and the tool list, and says in !help why', async () => {
    expect(kit.harness.tools.list(here).map((t) => t.name)).not.toContain(TASK_ONLY);
    const text = await help();
    expect(text).not.toContain(`• ${TASK_ONLY} (`);
    expect(text).toContain(`• ${TASK_ONLY} — unavailable: ${NEEDS_TASKS}`);

    kit.llm.script('chat', chatAnswer('Which topic?'));
    await kit.thread().say('research MCP tasks for me');
    const sent = JSON.stringify(kit.llm.requests.at(-1)!.body);
    expect(sent).toContain('web__echo');
    expect(sent).not.toContain('simulate-research-query');
  });

  it('refuses !run of a tool that runs only as an MCP task with the reason, before any card and without calling it', async () => {
    const t = kit.thread();
    await t.say(`!run ${TASK_ONLY} {"topic":"tasks"}`);
    expect(t.privateReplies()).toEqual([`Can't run that: ${TASK_ONLY}: unavailable: ${NEEDS_TASKS}. Try !help for the tools.`]);
    expect(t.card()).toBeUndefined();
    expect(kit.http.events.filter((e) => e.tool === 'simulate-research-query')).toEqual([]);

    await t.say('!run ops__simulate-research-query {"topic":"tasks"}');
    expect(t.privateReplies().at(-1)).toBe(`Can't run that: "ops__simulate-research-query" is not a tool available in this channel. Try !help for the tools.`);
  });

  it('starts without servers that fail to start or answer, logs why, and shows them unavailable in !help', async () => {
    const text = await help();
    expect(text).toContain('• mcp:broken — unavailable: did not start or answer: spawn /nonexistent/mcp-server ENOENT');
    expect(text).toMatch(/• mcp:mute — unavailable: did not start or answer: .*timed out/);
    const skipped = kit.logLines().filter((l) => l.msg === 'MCP server skipped: it did not start or answer; its tools are unavailable');
    expect(skipped.map((l) => [l.level, l.mcpServer])).toEqual(
      expect.arrayContaining([
        [50, 'broken'],
        [50, 'mute'],
      ]),
    );
  });
});
