import { isOnOrigins } from '../../../src/net/fetch-capped';
import { slackAttachments } from '../../../src/adapters/slack/slack-files';

const SLACK = ['https://files.slack.com', 'http://127.0.0.1:8080'];

describe("a file URL on the platform's own origins", () => {
  it.each([
    ['https://files.slack.com/files-pri/T1-F1/download/a.png', true],
    ['https://FILES.slack.com/files-pri/T1-F1/a.png', true],
    ['http://127.0.0.1:8080/files-pri/T1-F1/a.png', true],
    ['http://files.slack.com/files-pri/T1-F1/a.png', false],
    ['https://files.slack.com:8443/a.png', false],
    ['https://files.slack.com.evil.test/a.png', false],
    ['https://evil.test/https://files.slack.com/a.png', false],
    ['http://127.0.0.1:8081/a.png', false],
    ['http://127.0.0.1/a.png', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s: %s', (url, expected) => {
    expect(isOnOrigins(url, SLACK)).toBe(expected);
  });
});

describe("a Slack event's files", () => {
  it('become attachments; entries without an id or a download URL, or of the wrong shape, are left out', () => {
    const files = [
      { id: 'F1', name: 'a.png', mimetype: 'image/png', size: 10, url_private_download: 'https://files.slack.com/d/a.png', url_private: 'https://files.slack.com/p/a.png' },
      { id: 'F2', name: 'b.txt', mimetype: 'text/plain', size: 'big', url_private: 'https://files.slack.com/p/b.txt' },
      { id: 'F3', mode: 'tombstone' },
      { name: 'no-id.txt', url_private: 'https://files.slack.com/p/c.txt' },
      null,
      'F4',
    ];

    expect(slackAttachments(files)).toEqual([
      { id: 'F1', name: 'a.png', type: 'image/png', size: 10, handle: 'https://files.slack.com/d/a.png' },
      { id: 'F2', name: 'b.txt', type: 'text/plain', size: 0, handle: 'https://files.slack.com/p/b.txt' },
    ]);
    expect(slackAttachments('not a list')).toEqual([]);
  });
});
