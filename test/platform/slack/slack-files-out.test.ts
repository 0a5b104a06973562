/**
 * Files out on Slack, through real Bolt and web-api's files.uploadV2 against the fake Slack:
 * send_file waits at a card naming the file and its size, and once approved the file is
 * shared in the thread; `/switchboard help` lists the new tools, read_channel as read-only.
 */
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { readChannelTool } from '../../../src/tools/read-channel';
import { defineTool } from '../../../src/tools/define-tool';
import { sendFileTool } from '../../../src/tools/send-file';
import { z } from 'zod';
import { toolAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { AUTO_RUN_READ_ONLY } from './agent-kit';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

/** A read-only tool whose output is far too long for one message. */
const REPORT = Array.from({ length: 200 }, (_, i) => `line ${i}: ${'x'.repeat(40)}`).join('\n');
const bigReportTool = defineTool({ name: 'big_report', description: 'A long report', input: z.object({}), readOnly: true, execute: async () => ({ text: REPORT }) });

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness({ settings: AUTO_RUN_READ_ONLY, tools: [readChannelTool, sendFileTool, bigReportTool] });
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
    // The file goes first; its line follows it.
    const line = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text === 'The status, as CSV.'));
    expect(line.params.thread_ts).toBe(threadTs);
  });

  test('help lists read_channel as read-only and send_file as a tool that needs approval', async () => {
    const help = await h.command({ channel: 'CFILE2', user: 'U1', command: '/switchboard', text: 'help' });

    const shown = await eventually(() => help.responses()[0]);
    const text = textOf(shown);
    expect(text).toMatch(/read_channel[^•]*read-only/);
    expect(text).toMatch(/send_file/);
    expect(text).not.toMatch(/send_file[^•]*read-only/);
  });

  test('a !run whose output is too long for its result message sends the output as a file, with one line', async () => {
    const channel = 'CFILE3';
    const threadTs = '1720000300.000100';
    await h.mention({ channel, user: 'U1', text: '!run big_report {}', ts: threadTs });

    const file = await eventually(() => h.slack.files.find((f) => f.channel === channel), 10_000);
    expect(file).toMatchObject({ name: 'big_report-output.txt', threadTs, text: REPORT });
    const line = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => String(c.params.text).startsWith('✅ Done')));
    expect(line.params.text).toBe(`✅ Done: Run big_report: its output (${REPORT.length} characters) is in the file big_report-output.txt.`);
    const stored = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id));
    expect(stored.platform_message_id).toBe(line.answer!.ts);
  });
});
