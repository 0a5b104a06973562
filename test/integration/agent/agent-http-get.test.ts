/**
 * A question answered through http_get, which the per-tool policy (AUTO_RUN_TOOLS) lets run
 * without a card: the model reads what the allowed local server returned, under its call id,
 * and its answer carries a value only that server knew.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGetTool } from '../../../src/tools/http-get';
import { chatAnswer, toolAnswer, type RecordedCompletion } from '../../fakes/fake-openai';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { agentSetup, cardsOf } from './agent-kit';

const services = useDatabaseAndModel();
/** What only the health endpoint knows: no script or prompt of this test holds it. */
const BUILD = 'build-7q2x9k4m';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 503 : 404, { 'content-type': 'text/plain' });
    res.end(req.url === '/health' ? `status: degraded\nversion: ${BUILD}` : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The model: asks for the health page; once it has read it, says what it found, in its own words. */
function healthModel(request: RecordedCompletion) {
  const last = request.body.messages.at(-1)!;
  if (last.role !== 'tool') return toolAnswer([{ id: 'call_health', name: 'http_get', args: { url: `${base}/health` } }]);
  const version = /version: (\S+)/.exec(last.content ?? '')?.[1] ?? 'unknown';
  return chatAnswer(`Staging's health check is failing (${/HTTP (\d+)/.exec(last.content ?? '')?.[1]}); it runs ${version}.`);
}

test('http_get on an allowed local server runs without a card, and the answer carries what only it returned', async () => {
  const host = new URL(base).host;
  const { platform, say, calls, runs } = agentSetup(services, {
    settings: { autoRun: { readOnlyEverywhere: false, rules: [{ tool: 'http_get' }] } },
    tools: [httpGetTool({ allowedHosts: [host] })],
  });
  services.llm.fallback(healthModel);

  await say('is the staging health check failing?');

  expect(cardsOf(platform)).toEqual([]);
  const [, second] = services.llm.requests.slice(-2);
  expect(second!.body.messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_health', function: { name: 'http_get' } }] });
  expect(second!.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_health', content: `HTTP 503\nstatus: degraded\nversion: ${BUILD}` });
  expect(platform.posts().map((p) => p.message.text)).toContainEqual(`Staging's health check is failing (503); it runs ${BUILD}.`);
  expect(await calls()).toMatchObject([{ tool: 'http_get', gate: 'auto', status: 'succeeded' }]);
  expect(await runs()).toMatchObject([{ status: 'succeeded', turns: 2, tool_calls: 1 }]);
});
