/**
 * Issue #14, item 8: http_get streams the body and stops at its byte cap, so a 300 MB
 * answer costs no more memory than the cap; the action's timeout still stops it; and the
 * allow-list names ports, so an allowed host's other ports (a database, an admin UI) are
 * refused before any card is shown.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { httpGetTool } from '../../../src/tools/http-get';
import { buildCore } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { RecordingPlatform } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

const MB = 1024 * 1024;
const OFFERED = 300 * MB;

/** A local server: `/huge` offers 300 MB (made as it is read), `/stall` sends a little and then nothing. */
async function startServer() {
  let sent = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(OFFERED) });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < OFFERED / chunk.length; i++) {
            sent += chunk.length;
            yield chunk;
          }
        })(),
      );
      body.pipe(res);
      res.on('close', () => body.destroy());
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('the start of an answer that never ends');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sent: () => sent,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined),
    server,
  };
}

const where = { platform: 'slack' as const, workspace: 'T1', channel: 'C-http', thread: '1' };
const context = (signal = new AbortController().signal) => ({ runId: 'r1', where, requestedBy: { id: 'U1', name: 'alice' }, platform: new RecordingPlatform(), signal, step: () => ({ done: () => undefined, fail: () => undefined }) });

let srv: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  srv.server.closeAllConnections();
  await srv.close();
});

describe('http_get', () => {
  test('reads at most its byte cap of a 300 MB body, in under 50 MB more memory than idle, and says the body was cut', async () => {
    const tool = httpGetTool({ allowedHosts: [`127.0.0.1:${srv.port}`], maxBytes: MB });
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const { text } = await tool.execute({ url: `http://127.0.0.1:${srv.port}/huge` }, context());
      peak = Math.max(peak, process.memoryUsage().rss);
      const [status, body, note] = text.split('\n');
      expect(status).toBe('HTTP 200');
      expect(body).toBe('a'.repeat(MB));
      expect(note).toBe(`… (cut: the body is longer than ${MB} bytes; only the first ${MB} were read)`);
    } finally {
      clearInterval(sampler);
    }
    const grewMb = (peak - idle) / MB;
    console.log(`http_get of a 300 MB body capped at 1 MiB: RSS grew ${grewMb.toFixed(1)} MB; the server sent ${(srv.sent() / MB).toFixed(1)} MB`);
    expect(grewMb).toBeLessThan(50);
    // The request was aborted: the server stopped long before its 300 MB.
    expect(srv.sent()).toBeLessThan(OFFERED / 4);
  });

  test('stops when the action times out or is cancelled, even while the body is still coming', async () => {
    const tool = httpGetTool({ allowedHosts: [`127.0.0.1:${srv.port}`] });
    const timeout = new AbortController();
    const running = tool.execute({ url: `http://127.0.0.1:${srv.port}/stall` }, context(timeout.signal));
    setTimeout(() => timeout.abort(new Error('action timed out')), 50);
    await expect(running).rejects.toThrow('action timed out');
  });

  test.each([
    [['127.0.0.1'], 'http://127.0.0.1:5432/', false],
    [['127.0.0.1'], 'http://127.0.0.1/', true],
    [['127.0.0.1'], 'https://127.0.0.1/', true],
    [['127.0.0.1'], 'http://127.0.0.1:443/', true],
    [['127.0.0.1:8080'], 'http://127.0.0.1:8080/x', true],
    [['127.0.0.1:8080'], 'http://127.0.0.1:8081/x', false],
    [['127.0.0.1:8080'], 'http://127.0.0.1/x', false],
    [['api.example.com'], 'https://api.example.com.evil.test/', false],
    [['[::1]:9000'], 'http://[::1]:9000/', true],
  ])('with HTTP_ALLOWED_HOSTS=%j, %s is allowed: %s', (allowedHosts, url, allowed) => {
    expect(httpGetTool({ allowedHosts }).checkArgs({ url }).ok).toBe(allowed);
  });
});

describe('!run http_get', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  test('to a port not on the allow-list is refused before any card, and nothing is stored', async () => {
    const platform = new RecordingPlatform('slack');
    const { core } = buildCore({ db, platforms: [platform], tools: [httpGetTool({ allowedHosts: ['127.0.0.1'] })] });
    const user = { id: 'U1', name: 'alice' };

    await core.handleCommand({ where, user, name: 'run', args: 'http_get {"url":"http://127.0.0.1:5432/"}' });

    const said = platform.ephemerals().map((e) => e.message.text);
    expect(said).toEqual([expect.stringMatching(/^Can't run that: http_get: .*that host and port are not on HTTP_ALLOWED_HOSTS.*url/)]);
    expect(platform.posts()).toEqual([]);
    expect(await rows(db.orm, `select id from message where message_type = 'agent_request'`)).toEqual([]);

    await core.handleCommand({ where, user, name: 'run', args: 'http_get {"url":"http://127.0.0.1/status"}' });
    expect(platform.posts()).toHaveLength(1);
    expect(await rows(db.orm, `select status from agent_request`)).toEqual([{ status: 'pending' }]);
  });
});
