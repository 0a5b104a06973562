import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger';
import type { Readiness } from './readiness';

/** A GET route: the shape Bolt's `customRoutes` take, and what {@link startOpsServer} serves. */
export interface HttpRoute {
  readonly path: string;
  readonly method: 'GET';
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Where `/metrics` gets its text (src/metrics/prometheus-metrics.ts). */
export interface MetricsSource {
  readonly contentType: string;
  exposition(): Promise<string>;
}

/**
 * The operator's routes:
 * - `GET /healthz`: 200 while the process lives and its event loop turns (liveness);
 * - `GET /readyz`: 200 when every readiness check passes, else 503; the JSON body names each
 *   check and what it lacks (readiness: route traffic here, or not yet);
 * - `GET /metrics`: every metric in Prometheus' text format.
 */
export function opsRoutes(readiness: Readiness, metrics: MetricsSource, log: Logger): HttpRoute[] {
  return [
    { path: '/healthz', method: 'GET', handler: (_req, res) => send(res, 200, JSON_TYPE, '{"status":"ok"}') },
    {
      path: '/readyz',
      method: 'GET',
      handler: (_req, res) => answer(res, log, readiness.report().then((r) => [r.ready ? 200 : 503, JSON_TYPE, JSON.stringify(r)])),
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: (_req, res) => answer(res, log, metrics.exposition().then((text) => [200, metrics.contentType, text])),
    },
  ];
}

const JSON_TYPE = 'application/json; charset=utf-8';

function answer(res: ServerResponse, log: Logger, body: Promise<[number, string, string]>): void {
  body.then(
    ([status, type, text]) => send(res, status, type, text),
    (err: unknown) => {
      log.error({ err, path: res.req.url }, 'an ops route failed');
      send(res, 500, JSON_TYPE, '{"error":"internal"}');
    },
  );
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  // Probes and scrapers poll: nothing here may be cached along the way.
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}
