/**
 * Files on Slack messages (the file intake contract), through the real Bolt receiver and Web
 * API client against the fake Slack, which serves shared files as files.slack.com does: only
 * with the bot token.
 */
import { fileIntakeContract, FILE_TEST_SETTINGS, type FileDriver } from '../files/file-intake-contract';
import { BOT_TOKEN, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
let driver: FileDriver;
beforeAll(async () => {
  h = await startSlackHarness({ settings: FILE_TEST_SETTINGS });
  let n = 0;
  driver = {
    db: h.db,
    llm: h.llm,
    host: (input) => {
      const shared = h.slack.shareFile({ ...input, token: BOT_TOKEN });
      return { ...shared, ref: shared.entry, id: String(shared.entry.id) };
    },
    foreignRef: ({ name, type, size, url }) => ({ id: 'F999', name, mimetype: type, size, url_private: url, url_private_download: url }),
    send: async (text, refs) => {
      const ts = `1700000001.${String((n += 1)).padStart(6, '0')}`;
      await h.mention({ channel: `CFILES${n}`, user: 'U1', text, ts, files: refs as Record<string, unknown>[] });
      return ts;
    },
  };
});
afterAll(() => h.close());

fileIntakeContract('Slack', () => driver);

test('a shared file is downloaded with the bot token, which files.slack.com requires', async () => {
  const file = h.slack.shareFile({ name: 'notes.txt', type: 'text/plain', body: Buffer.from('the notes'), token: BOT_TOKEN });

  await h.mention({ channel: 'CFILESTOKEN', user: 'U1', text: 'read the notes', files: [file.entry] });

  await h.barrier('CFILESTOKEN');
  expect(file.lastAuthorization()).toBe(`Bearer ${BOT_TOKEN}`);
  expect(h.llm.requestsFor('chat').some((r) => r.prompt.includes('the notes\n```'))).toBe(true);
});
