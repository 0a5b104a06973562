/**
 * Files served by a fake platform (or a foreign host) to the bot's downloads, each counting
 * the requests for it and the bytes it wrote. Bodies are streamed in small chunks, each written
 * only once the one before has drained, and stop when the client goes away: a download the bot
 * aborts at its cap leaves the count near the cap, not at the file's size.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One hosted file: its URL, and what its downloads cost. */
export interface HostedFile {
  readonly url: string;
  /** Requests for it so far (refused ones included). */
  hits(): number;
  /** Body bytes written to its downloads so far. */
  bytesServed(): number;
  /** The Authorization header of its last request, if any. */
  lastAuthorization(): string | undefined;
}

/** What a hosted file serves: exact bytes, or `size` bytes of filler made as they are sent. */
export type FileBody = Uint8Array | { readonly size: number };

interface Entry {
  readonly body: FileBody;
  readonly type: string;
  /** Answered 401 without this `Authorization` header (Slack's files need the bot token). */
  readonly authorization?: string;
  hits: number;
  served: number;
  lastAuthorization?: string;
}

const CHUNK = 16 * 1024;

/** Files under one origin; mount `serve` in the fake's request listener. */
export class FileHost {
  private readonly files = new Map<string, Entry>();

  constructor(private readonly origin: () => string) {}

  /** Hosts `body` at `path` (starting with `/`) with content type `type`. */
  add(path: string, body: FileBody, options: { type: string; authorization?: string }): HostedFile {
    const entry: Entry = { body, type: options.type, authorization: options.authorization, hits: 0, served: 0 };
    this.files.set(path, entry);
    return { url: `${this.origin()}${path}`, hits: () => entry.hits, bytesServed: () => entry.served, lastAuthorization: () => entry.lastAuthorization };
  }

  /** Answers a request for a hosted path; false (nothing written) for any other path. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const entry = this.files.get(path);
    if (!entry) return false;
    entry.hits += 1;
    entry.lastAuthorization = req.headers.authorization;
    if (entry.authorization !== undefined && req.headers.authorization !== entry.authorization) {
      res.writeHead(401).end();
      return true;
    }
    const size = entry.body instanceof Uint8Array ? entry.body.byteLength : entry.body.size;
    res.writeHead(200, { 'content-type': entry.type, 'content-length': String(size) });
    void stream(res, entry, size);
    return true;
  }
}

async function stream(res: ServerResponse, entry: Entry, size: number): Promise<void> {
  const filler = new Uint8Array(CHUNK).fill(0x61);
  for (let at = 0; at < size && !res.destroyed; at += CHUNK) {
    const chunk = entry.body instanceof Uint8Array ? entry.body.subarray(at, at + CHUNK) : filler.subarray(0, Math.min(CHUNK, size - at));
    entry.served += chunk.byteLength;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/** A server of its own on 127.0.0.1 (another origin than any fake platform's): the foreign host a forged file URL points at. */
export async function startFileServer(): Promise<{ readonly origin: string; readonly files: FileHost; requests(): number; close(): Promise<void> }> {
  let origin = '';
  const files = new FileHost(() => origin);
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (!files.serve(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    files,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
