/**
 * The operator's routes on their own server: liveness, readiness built from the checks the
 * parts register, and the metrics text; over real HTTP on 127.0.0.1.
 */
import { ConfigError } from '../../../src/core/errors';
import { PrometheusMetrics } from '../../../src/metrics/prometheus-metrics';
import { opsRoutes } from '../../../src/ops/ops-routes';
import { startOpsServer, type OpsServer } from '../../../src/ops/ops-server';
import { Readiness } from '../../../src/ops/readiness';
import { memoryLogger } from '../../support/core-harness';
import { parseExposition, valueOf } from '../../support/prometheus-text';

const logs = memoryLogger();
const readiness = new Readiness(logs.log, 100);
const metrics = new PrometheusMetrics();
let server: OpsServer;
/** What the fake database check answers next. */
let database: () => Promise<string | null> = async () => null;

beforeAll(async () => {
  readiness.add({ name: 'database', check: () => database() });
  readiness.add({ name: 'discord', check: () => null });
  server = await startOpsServer(opsRoutes(readiness, metrics, logs.log), { port: 0, host: '127.0.0.1', variable: 'HEALTH_PORT' });
});
afterAll(() => server.close());

async function get(path: string, method = 'GET') {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('the ops server', () => {
  it('is not ready until start-up has finished, however the checks stand', async () => {
    const answer = await get('/readyz');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({ ready: false, checks: { startup: 'in progress', database: 'ok', discord: 'ok' } });
    readiness.started();
    expect(await get('/readyz')).toMatchObject({ status: 200, type: 'application/json; charset=utf-8' });
  });

  it('names a failing check by its error code only, and logs the error once until it passes again', async () => {
    database = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED db.internal.example:5432 password=hunter2'), { code: 'ECONNREFUSED' }));

    const first = await get('/readyz');
    await get('/readyz');

    expect(first.status).toBe(503);
    expect(JSON.parse(first.text)).toEqual({ ready: false, checks: { startup: 'ok', database: 'failed (ECONNREFUSED); see the logs', discord: 'ok' } });
    expect(first.text).not.toContain('db.internal');
    const failing = logs.lines().filter((l) => l.msg === 'readiness check failing');
    expect(failing).toEqual([expect.objectContaining({ check: 'database', err: expect.objectContaining({ code: 'ECONNREFUSED' }) })]);

    database = async () => null;
    expect((await get('/readyz')).status).toBe(200);
    expect(logs.lines().filter((l) => l.msg === 'readiness check passes again')).toEqual([expect.objectContaining({ check: 'database' })]);
  });

  it('counts a check that does not answer in time as not ready', async () => {
    database = () => new Promise(() => undefined);
    const answer = await get('/readyz');
    database = async () => null;
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text).checks.database).toBe('no answer within 100 ms');
  });

  it('answers /healthz while the process lives, even when it is not ready', async () => {
    database = async () => 'not yet';
    const answer = await get('/healthz');
    database = async () => null;
    expect(answer).toEqual({ status: 200, type: 'application/json; charset=utf-8', text: '{"status":"ok"}' });
  });

  it("serves the metrics in Prometheus' text format", async () => {
    metrics.requestEnded({ platform: 'discord', outcome: 'expired' });
    const answer = await get('/metrics');
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(valueOf(parseExposition(answer.text), 'switchboard_requests_total', { platform: 'discord', outcome: 'expired' })).toBe(1);
  });

  it('answers 404 to anything else', async () => {
    expect((await get('/slack/events', 'POST')).status).toBe(404);
    expect((await get('/healthz', 'POST')).status).toBe(404);
    expect((await get('/')).status).toBe(404);
  });

  it('stops start-up with a configuration error naming the variable when the port is taken', async () => {
    const taken = startOpsServer([], { port: server.port, host: '127.0.0.1', variable: 'HEALTH_PORT' });
    await expect(taken).rejects.toBeInstanceOf(ConfigError);
    await expect(taken).rejects.toThrow(`HEALTH_PORT: cannot listen on 127.0.0.1:${server.port} (EADDRINUSE)`);
  });
});
