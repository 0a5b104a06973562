/**
 * Files out on Slack, through real Bolt and web-api's files.uploadV2 against the fake Slack:
 * send_file waits at a card naming the file and its size, and once approved the file is
 * shared in the thread; `/switchboard help` lists the new tools, read_channel as read-only.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { readChannelTool } from '../../../src/tools/read-channel';
import { sendFileTool } from '../../../src/tools/send-file';
import { toolAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { AUTO_RUN_READ_ONLY } from './agent-kit';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ settings: AUTO_RUN_READ_ONLY, tools: [readChannelTool, sendFileTool] });
});
afterAll(() => h.close());

type Block = { type: string; elements?: { action_id?: string; value?: string }[] };
const textOf = (call: FakeSlackCall) => JSON.stringify(call.params.blocks ?? '') + String(call.params.text);

describe('files out on Slack', () => {
  test('send_file waits at a card naming the file and its size; approved, the file is shared in the thread with its line', async () => {
    const channel = 'CFILE1';
    const threadTs = '1720000000.000100';
    const csv = 'service,status\napi,up\ncache,down\n';
    h.answer('export the status as csv', toolAnswer([{ name: 'send_file', args: { name: 'status.csv', content: csv, comment: 'The status, as CSV.' } }]));
    await h.mention({ channel, user: 'U1', text: 'export the status as csv', ts: threadTs });

    const card = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => textOf(c).includes('send_file')), 10_000);
    expect(textOf(card)).toContain('sends the file status.csv (33 B) into this thread');
    expect(h.slack.files).toEqual([]);
    const approve = (card.params.blocks as Block[]).find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === APPROVE_ACTION)!.value!;
    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: approve, messageTs: String(card.answer!.ts), threadTs });

    const file = await eventually(() => h.slack.files.find((f) => f.channel === channel), 10_000);
    expect(file).toMatchObject({ name: 'status.csv', threadTs, text: csv });
    expect(h.callsIn(channel, 'chat.postMessage').some((c) => c.params.text === 'The status, as CSV.' && c.params.thread_ts === threadTs)).toBe(true);
  });

  test('help lists read_channel as read-only and send_file as a tool that needs approval', async () => {
    const help = await h.command({ channel: 'CFILE2', user: 'U1', command: '/switchboard', text: 'help' });

    const shown = await eventually(() => help.responses()[0]);
    const text = textOf(shown);
    expect(text).toMatch(/read_channel[^•]*read-only/);
    expect(text).toMatch(/send_file/);
    expect(text).not.toMatch(/send_file[^•]*read-only/);
  });
});
