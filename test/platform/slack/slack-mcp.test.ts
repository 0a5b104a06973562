/**
 * An MCP server's tool behind the Slack approval flow: `!run <server>__<tool>` in a thread
 * shows a card naming where the tool comes from, Approve runs it through the MCP client,
 * its progress notifications edit the progress message, and the result is posted.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { createLogger } from '../../../src/logging/logger';
import { connectMcpServers, type McpServers } from '../../../src/mcp/connect-mcp-servers';
import { parseMcpServers } from '../../../src/mcp/mcp-config';
import { startFakeMcpHttp, type FakeMcpHttp } from '../../fakes/mcp/fake-mcp-http';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
let server: FakeMcpHttp;
let mcp: McpServers;
beforeAll(async () => {
  h = await startSlackHarness({ workspace: { admins: ['U_ADMIN'] } });
  server = await startFakeMcpHttp();
  mcp = await connectMcpServers(parseMcpServers(JSON.stringify([{ name: 'fake', url: server.url, trusted: true }])), createLogger({ level: 'silent' }));
  for (const source of mcp.sources) h.core.tools.addSource(source);
});
afterAll(async () => {
  await h.close();
  await mcp.close();
  await server.close();
});

describe('MCP tools in Slack', () => {
  test('!run of an MCP tool goes card → approve → progress edits → result', async () => {
    const channel = 'CMCP1';
    const threadTs = '1600009000.000100';
    await h.mention({ channel, user: 'U1', text: '!run fake__slow_progress {"steps":3,"delayMs":150}', ts: threadTs });
    const request = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
    const card = h.callsIn(channel, 'chat.postMessage').find((c) => c.params.ts === undefined && JSON.stringify(c.params.blocks ?? '').includes(request.request_id!))!;
    expect(JSON.stringify(card.params.blocks)).toContain('mcp:fake');
    const approve = (card.params.blocks as { type: string; elements?: { value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!.value;

    const click = await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: request.platform_message_id!, threadTs });
    expect(click.ack.status).toBe(200);

    const result = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => String(c.params.text).startsWith('✅ Done')), 10_000);
    expect(result.params).toMatchObject({ thread_ts: threadTs, text: expect.stringContaining('finished 3 steps') });
    const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
    const editsOfProgress = () => h.callsIn(channel, 'chat.update').filter((c) => c.params.ts === progress.platform_message_id);
    // The result is posted first; the progress message's last edit follows it.
    await eventually(() => editsOfProgress().find((c) => String(c.params.text).includes('Run finished')));
    const edits = editsOfProgress();
    expect(edits.some((c) => String(c.params.text).includes('step 1 of 3'))).toBe(true);
    expect(String(edits.at(-1)!.params.text)).toContain('Run finished');
    expect((await h.stored(channel)).find((r) => r.message_type === 'agent_request')!.run_status).toBe('succeeded');
  });

  test('an image an MCP tool returns is shared in the thread as a file, with one line naming the tool', async () => {
    const channel = 'CMCP2';
    const threadTs = '1600009100.000100';
    await h.mention({ channel, user: 'U1', text: '!run fake__picture {}', ts: threadTs });
    const request = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));
    const card = h.callsIn(channel, 'chat.postMessage').find((c) => JSON.stringify(c.params.blocks ?? '').includes(request.request_id!))!;
    const approve = (card.params.blocks as { type: string; elements?: { value: string }[] }[]).find((b) => b.type === 'actions')!.elements![0]!.value;

    // The server declares no hints: its tools count as destructive, for an admin to approve.
    await h.click({ channel, user: 'U_ADMIN', actionId: APPROVE_ACTION, value: approve, messageTs: request.platform_message_id!, threadTs });

    const file = await eventually(() => h.slack.files.find((f) => f.channel === channel), 10_000);
    expect(file).toMatchObject({ name: 'fake__picture-2.png', threadTs });
    expect(file.data).toEqual(Buffer.from('iVBORw0KGgo=', 'base64'));
    expect(h.callsIn(channel, 'chat.postMessage').map((c) => String(c.params.text))).toContain('fake__picture returned fake__picture-2.png (8 B).');
  });
});
