import { fakeMcpStdio, type FakeMcpStdio } from '../../fakes/mcp/fake-mcp-stdio';
import { startFakeMcpHttp, type FakeMcpHttp } from '../../fakes/mcp/fake-mcp-http';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { coreWithMcp, eventually, thread } from './mcp-kit';

let db: TestDatabase;
let stdio: FakeMcpStdio;
let http: FakeMcpHttp;
let kit: Awaited<ReturnType<typeof coreWithMcp>>;

beforeAll(async () => {
  db = await createTestDatabase();
  stdio = fakeMcpStdio();
  http = await startFakeMcpHttp();
  kit = await coreWithMcp(db.orm, [
    { name: 'fake', ...stdio.launch, trusted: true },
    { name: 'web', url: http.url, headers: { 'x-team': 'blue' } },
    { name: 'ops', url: http.url, scope: { channels: ['C-ops'] } },
    { name: 'elsewhere', url: http.url, scope: { platforms: ['discord'] } },
    { name: 'narrow', url: http.url, allowTools: ['echo'] },
    { name: 'broken', command: '/nonexistent/mcp-server' },
    { name: 'mute', command: process.execPath, args: ['-e', 'process.stdin.resume()'], startupTimeoutMs: 300 },
  ]);
});
afterAll(async () => {
  await kit.mcp.close();
  await http.close();
  stdio.cleanUp();
  await db.close();
});

async function help(channel?: string): Promise<string> {
  const t = thread(db.orm, kit.harness, kit.platform, channel);
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
    expect(http.headers.some((h) => h['x-team'] === 'blue')).toBe(true);
  });

  it('offers a server tools only in the conversations its scope allows', async () => {
    expect(await help('C-ops')).toContain('ops__echo');
    expect(await help()).not.toContain('ops__echo');
    expect(await help()).not.toContain('elsewhere__');

    const t = thread(db.orm, kit.harness, kit.platform);
    await t.say('!run ops__echo {"text":"hi"}');
    expect(t.privateReplies()).toEqual(['I have no tool "ops__echo" here. Try !help for the tools.']);
    expect(t.card()).toBeUndefined();
  });

  it('offers only the tools its allow-list names', async () => {
    const text = await help();
    expect(text).toContain('narrow__echo');
    expect(text).not.toContain('narrow__delete_thing');
  });

  it('picks up tools a server adds while running, when it says its list changed', async () => {
    expect(await help()).not.toContain('web__added_later');
    http.addTool('added_later');
    const where = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
    await eventually(() => expect(kit.harness.tools.find('web__added_later', where)?.origin).toBe('mcp:web'));
    expect(await help()).toContain('• web__added_later (destructive) [mcp:web] — A tool added later: added_later.');
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
