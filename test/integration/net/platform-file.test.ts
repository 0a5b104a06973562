/**
 * Downloading a file people posted, against a real local server: only from the platform's
 * origins, within the cap, and never taking a sign-in page or an error for the file.
 */
import type { Attachment } from '../../../src/core/model/attachment';
import { fetchPlatformFile } from '../../../src/net/platform-file';
import { startFileServer } from '../../fakes/file-host';

let server: Awaited<ReturnType<typeof startFileServer>>;
beforeAll(async () => {
  server = await startFileServer();
});
afterAll(() => server.close());

const attachment = (url: string, type: string): Attachment => ({ id: 'F1', name: 'a', type, size: 1, handle: url });

test('a file on the origin is read up to the cap, with the token sent; past the cap it comes back cut', async () => {
  const file = server.files.add('/ok.txt', Buffer.from('0123456789'), { type: 'text/plain' });
  const hosts = { origins: [server.origin], headers: { authorization: 'Bearer xoxb-1' } };

  await expect(fetchPlatformFile(attachment(file.url, 'text/plain'), hosts, 100)).resolves.toEqual({ bytes: Buffer.from('0123456789'), cut: false });
  await expect(fetchPlatformFile(attachment(file.url, 'text/plain'), hosts, 4)).resolves.toEqual({ bytes: Buffer.from('0123'), cut: true });
  expect(file.lastAuthorization()).toBe('Bearer xoxb-1');
});

test('a file elsewhere is refused without a request', async () => {
  const file = server.files.add('/elsewhere.txt', Buffer.from('x'), { type: 'text/plain' });

  await expect(fetchPlatformFile(attachment(file.url, 'text/plain'), { origins: ['https://files.slack.com'] }, 100)).rejects.toMatchObject({ code: 'foreign_file_host' });
  expect(file.hits()).toBe(0);
});

test('a web page where a file was expected (a sign-in page) and an error status are failures, not the file', async () => {
  const page = server.files.add('/signin', Buffer.from('<html>Sign in to Slack</html>'), { type: 'text/html; charset=utf-8' });
  const hosts = { origins: [server.origin] };

  await expect(fetchPlatformFile(attachment(page.url, 'text/plain'), hosts, 100)).rejects.toMatchObject({ code: 'file_fetch_failed' });
  await expect(fetchPlatformFile(attachment(page.url, 'text/html'), hosts, 100)).resolves.toMatchObject({ cut: false });
  await expect(fetchPlatformFile(attachment(`${server.origin}/missing`, 'text/plain'), hosts, 100)).rejects.toMatchObject({ code: 'file_fetch_failed', context: { status: 404 } });
});
