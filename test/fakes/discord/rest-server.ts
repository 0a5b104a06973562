import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog, HttpMethod, RecordedCall, RecordedFile, ScriptedFailure } from './call-log';
import { discordError } from './limits-checks';
import { matchTemplate } from './routes';
import { readBody } from '../read-body';

/** What a route handler sees. */
export interface RestRequest {
  method: HttpMethod;
  path: string;
  params: Record<string, string>;
  body: unknown;
  query: Record<string, string>;
  files: RecordedFile[];
}

/** What a route handler answers; no body means 204. */
export interface RestAnswer {
  status: number;
  body?: unknown;
}

export interface RestRoute {
  method: HttpMethod;
  route: string;
  handle: (request: RestRequest) => RestAnswer;
}

export const API_PREFIX = '/api/v10';
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
}

/** The HTTP request listener: parse, match a route, apply scripted failures, answer, record. */
export function restListener(routes: RestRoute[], log: CallLog): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(routes, log, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, '', { message: `fake Discord crashed: ${String(error)}`, code: 0 });
    });
  };
}

async function handle(routes: RestRoute[], log: CallLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (METHODS.includes(req.method ?? '') ? req.method : 'GET') as HttpMethod;
  const path = url.pathname.startsWith(`${API_PREFIX}/`) ? safeDecode(url.pathname.slice(API_PREFIX.length)) : url.pathname;
  const raw = await readBody(req);
  const call: RecordedCall = {
    method,
    route: path,
    path,
    params: {},
    body: undefined,
    query: Object.fromEntries(url.searchParams),
    files: [],
    status: 0,
    authorized: /^Bot \S+/.test(req.headers.authorization ?? ''),
    at: Date.now(),
  };
  const answer = await parseInto(call, req.headers['content-type'] ?? '', raw).then(
    () => answerSafely(routes, log, call),
    (error: unknown) => discordError(400, 50109, `The request body contains invalid JSON. (${String(error)})`),
  );
  call.status = answer.status;
  call.response = answer.body;
  log.record(call);
  send(res, answer.status, bucketFor(call), answer.body, failureHeaders(answer));
}

async function parseInto(call: RecordedCall, contentType: string, raw: Buffer): Promise<void> {
  const parsed = await parseBody(contentType, raw);
  call.body = parsed.body;
  call.files = parsed.files;
}

/** A handler that throws is a bug in the fake or a test's setup: answer 500 with the reason, so the call log shows it. */
function answerSafely(routes: RestRoute[], log: CallLog, call: RecordedCall): RestAnswer {
  try {
    return route(routes, log, call);
  } catch (error) {
    return { status: 500, body: { message: `fake Discord handler failed: ${String(error)}`, code: 0 } };
  }
}

function route(routes: RestRoute[], log: CallLog, call: RecordedCall): RestAnswer {
  const found = findRoute(routes, call.path, call.method);
  if (found === 'wrong-method') return discordError(405, 0, '405: Method Not Allowed');
  if (!found) return discordError(404, 0, '404: Not Found');
  call.route = found.route.route;
  call.params = found.params;
  const failure = log.takeFailure(call);
  if (failure) return scriptedAnswer(failure);
  return found.route.handle({ method: call.method, path: call.path, params: found.params, body: call.body, query: call.query, files: call.files });
}

/** The most specific matching template (most literal segments), so '/users/@me' beats '/users/:userId'. */
function findRoute(routes: RestRoute[], path: string, method: HttpMethod): { route: RestRoute; params: Record<string, string> } | 'wrong-method' | null {
  const literalCount = (template: string) => template.split('/').filter((part) => part && !part.startsWith(':')).length;
  const matches = routes
    .map((route) => ({ route, params: matchTemplate(route.route, path) }))
    .filter((m): m is { route: RestRoute; params: Record<string, string> } => m.params !== null)
    .sort((a, b) => literalCount(b.route.route) - literalCount(a.route.route));
  if (matches.length === 0) return null;
  return matches.find((m) => m.route.method === method) ?? 'wrong-method';
}

interface FailureAnswer extends RestAnswer {
  failure?: ScriptedFailure;
}

function scriptedAnswer(failure: ScriptedFailure): FailureAnswer {
  if (failure.status === 429) {
    const retryAfter = failure.retryAfter ?? 1;
    const body = failure.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: failure.global ?? false };
    return { status: 429, body, failure };
  }
  const message = failure.status >= 500 ? '500: Internal Server Error' : `${failure.status}: scripted failure`;
  return { status: failure.status, body: failure.body ?? { message, code: 0 }, failure };
}

function failureHeaders(answer: FailureAnswer): Record<string, string> {
  const failure = answer.failure;
  if (!failure || failure.status !== 429) return {};
  const retryAfter = failure.retryAfter ?? 1;
  return {
    'Retry-After': String(retryAfter),
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset-After': String(retryAfter),
    'X-RateLimit-Reset': String(Date.now() / 1000 + retryAfter),
    'X-RateLimit-Scope': failure.global ? 'global' : 'user',
    ...(failure.global ? { 'X-RateLimit-Global': 'true' } : {}),
  };
}

/** A stable bucket id per method and route, like Discord's opaque X-RateLimit-Bucket. */
function bucketFor(call: RecordedCall): string {
  return createHash('sha1').update(`${call.method} ${call.route}`).digest('hex').slice(0, 16);
}

/**
 * Answers with sane rate-limit headers: a generous `Remaining`, so @discordjs/rest never
 * waits for a reset that a fake would not need.
 */
function send(res: ServerResponse, status: number, bucket: string, body: unknown, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': '50',
    'X-RateLimit-Remaining': '49',
    'X-RateLimit-Reset': String(Date.now() / 1000 + 1),
    'X-RateLimit-Reset-After': '1',
    ...(bucket ? { 'X-RateLimit-Bucket': bucket } : {}),
    ...extra,
  };
  if (body === undefined || status === 204) {
    res.writeHead(204, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** JSON, or multipart/form-data with a `payload_json` part and `files[n]` parts (parsed with the built-in fetch Request). */
async function parseBody(contentType: string, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    const files: RecordedFile[] = [];
    let body: unknown = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
