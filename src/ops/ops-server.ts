import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../core/errors';
import type { HttpRoute } from './ops-routes';

/** The ops routes' own server, where no Slack HTTP server carries them. */
export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Where to listen, and the variable that chose the port (named when it is taken). */
export interface OpsServerOptions {
  readonly port: number;
  readonly host: string;
  readonly variable: string;
}

/** Serves `routes` on a plain node:http server; anything else gets 404. */
export async function startOpsServer(routes: readonly HttpRoute[], { port, host, variable }: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (route) return route.handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new ConfigError('port_unavailable', `${variable}: cannot listen on ${host}:${port} (${(error as { code?: string }).code ?? 'error'})`, { variable }, { cause: error });
  }
  return { port: (server.address() as AddressInfo).port, close: () => close(server) };
}

async function close(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  // Keep-alive connections from a scraper would otherwise hold the server open until they time out.
  server.closeAllConnections();
  await closed;
}
