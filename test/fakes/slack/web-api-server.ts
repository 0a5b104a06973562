/**
 * A fake Slack Web API on 127.0.0.1 that records every call and answers like Slack, including
 * scripted failures, so the real @slack/web-api client (and Bolt through it) can be tested end to end.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseForm } from 'node:querystring';
import { CallLog, type FakeSlackCall } from './call-log';
import { blockActionPayload, slashCommand, type BlockActionInput, type SlashCommandInput } from './payloads';
import type { FakeSession } from './session-methods';
import { stopStreamsIn, type FakeStream } from './stream-methods';
import { createMethodAnswers, type FakeSlackOptions, type MethodOutcome, type Params } from './web-api-methods';
import { Triggers } from './view-checks';
import { readBody } from '../read-body';
import { FileHost } from '../file-host';
import { shareFile, type ShareFileInput, type SharedSlackFile } from './shared-files';
import { FakeFiles, type FakeSharedFile } from './file-methods';

/** A failure for failNext: an HTTP status (429 carries `Retry-After: retryAfter` seconds, default 1), or `ok: false` with `error`. */
export type ScriptedFailure = { status: number; retryAfter?: number } | { error: string };

/** A running fake Slack. */
export interface FakeSlack {
  /** The Web API base, `http://127.0.0.1:PORT/api/`, for `slackApiUrl`. */
  apiUrl: string;
  /** `http://127.0.0.1:PORT`, the root of the fake's server. */
  baseUrl: string;
  /** Every call received, in order (a live array). */
  calls: FakeSlackCall[];
  /** Streamed messages by ts (chat.startStream …), with the text they show (a live map). */
  streams: ReadonlyMap<string, FakeStream>;
  /** Files shared through files.uploadV2, in order, with their bytes (a live array). */
  files: readonly FakeSharedFile[];
  /** Agent sessions by `channel/thread_ts`, with every status set (a live map). */
  sessions: ReadonlyMap<string, FakeSession>;
  /** The statuses set for the thread's session so far, in order (empty when it has none). */
  sessionStatuses(channel: string, threadTs: string): string[];
  /**
   * What a person's Stop on the thread's session does before Slack sends `agent_session_stopped`:
   * its open streams end. Returns their ts (the event's `streaming_message_ts`).
   */
  stopStreamsIn(channel: string, threadTs: string): string[];
  /** The calls of one method, e.g. `callsOf('chat.update')` or `callsOf('response_url')`. */
  callsOf(method: string): FakeSlackCall[];
  /** Resolves once at least `count` calls of `method` arrived; rejects after `timeoutMs` (default 5000) listing what did. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<FakeSlackCall[]>;
  /** Makes the next `times` (default 1) calls of `method` fail as scripted; they are still recorded. */
  failNext(method: string, failure: ScriptedFailure, times?: number): void;
  /** A fresh response URL on this fake; posts to it are recorded as method `response_url`. */
  responseUrl(): string;
  /** blockActionPayload with response_url defaulting to a fresh URL on this fake; its trigger_id can open one modal within 3 s. */
  blockActionPayload(input: BlockActionInput): Record<string, unknown>;
  /** slashCommand with response_url defaulting to a fresh URL on this fake. */
  slashCommand(input: SlashCommandInput): Record<string, string>;
  /**
   * Holds the answers to `method` (they are recorded on arrival) until the returned release
   * is called: a test can then show that an ack came before the work that follows it.
   */
  hold(method: string): () => void;
  /**
   * Makes `channel` one the bot is not a member of: every chat.* and reactions.* call into it
   * answers `not_in_channel`, as Slack does (an ephemeral note included).
   */
  leaveChannel(channel: string): void;
  /** Hosts a file as if shared in Slack (files.slack.com's download path, on this fake); its `entry` goes in an event's `files`. */
  shareFile(input: ShareFileInput): SharedSlackFile;
  /** Forgets recorded calls and pending scripted failures. */
  reset(): void;
  /** Stops the server, dropping open keep-alive connections. */
  close(): Promise<void>;
}

// Slack's Web API takes these as JSON strings in form bodies; tests want to assert on the objects.
const JSON_STRING_FIELDS = ['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'user_auth_blocks', 'prompts', 'chunks', 'files'];

/** Starts a fake Slack on 127.0.0.1 at a random port, configured by `options` (admins, owners, usergroups). */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const log = new CallLog();
  const failures = new Map<string, ScriptedFailure[]>();
  const outside = new Set<string>();
  const holds = new Map<string, Promise<void>>();
  const triggers = new Triggers();
  const streams = new Map<string, FakeStream>();
  const sessions = new Map<string, FakeSession>();
  let baseUrl = '';
  const files = new FakeFiles(() => baseUrl);
  const answer = createMethodAnswers(options, triggers, { streams, sessions, files });
  const fileHost = new FileHost(() => baseUrl);
  const server = createServer((req, res) => {
    if (fileHost.serve(req, res)) return;
    handleRequest(req, res, { log, failures, outside, holds, answer, files }).catch((error: unknown) => reply(res, 500, { ok: false, error: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let responseUrls = 0;
  const responseUrl = (): string => `${baseUrl}/response/${(responseUrls += 1)}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    calls: log.calls,
    files: files.shared,
    streams,
    sessions,
    sessionStatuses: (channel, threadTs) => [...(sessions.get(`${channel}/${threadTs}`)?.statuses ?? [])],
    stopStreamsIn: (channel, threadTs) => stopStreamsIn(streams, channel, threadTs),
    callsOf: (method) => log.callsOf(method),
    waitForCalls: (method, count, timeoutMs) => log.waitForCalls(method, count, timeoutMs),
    failNext: (method, failure, times = 1) => {
      failures.set(method, [...(failures.get(method) ?? []), ...Array<ScriptedFailure>(times).fill(failure)]);
    },
    leaveChannel: (channel) => void outside.add(channel),
    hold: (method) => {
      let release!: () => void;
      holds.set(method, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        holds.delete(method);
        release();
      };
    },
    responseUrl,
    blockActionPayload: (input) => {
      const payload = blockActionPayload({ ...input, responseUrl: input.responseUrl ?? responseUrl() });
      triggers.issue(String(payload.trigger_id));
      return payload;
    },
    slashCommand: (input) => slashCommand({ ...input, responseUrl: input.responseUrl ?? responseUrl() }),
    shareFile: (input) => shareFile(fileHost, input),
    reset: () => {
      log.clear();
      failures.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

interface FakeState {
  log: CallLog;
  failures: Map<string, ScriptedFailure[]>;
  /** Channels the bot is not a member of. */
  outside: Set<string>;
  holds: Map<string, Promise<void>>;
  answer: (method: string, params: Params) => MethodOutcome;
  files: FakeFiles;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, state: FakeState): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = methodOf(url.pathname);
  if (method === undefined) {
    reply(res, 404, { ok: false, error: 'unknown_path' });
    return;
  }
  const raw = await readBody(req);
  if (method === 'upload_url') return receiveUpload(res, url.pathname, await uploadedBytes(raw, req.headers['content-type']), state);
  const params = { ...Object.fromEntries(url.searchParams), ...parseBody(raw.toString('utf8'), req.headers['content-type']) };
  const call: FakeSlackCall = { method, path: url.pathname, params, at: Date.now(), status: 200 };
  const token = tokenOf(req, params);
  if (token !== undefined) call.token = token;

  const refused = state.outside.has(String(params.channel)) && /^(chat|reactions)\./.test(method);
  const failure = refused ? { error: 'not_in_channel' } : state.failures.get(method)?.shift();
  const outcome = failure ? scriptedOutcome(failure) : answerCall(method, params, token, state);
  call.status = outcome.status;
  call.answer = outcome.answer;
  if (outcome.answer.error !== undefined) call.error = outcome.answer.error;
  if (outcome.problems !== undefined) call.problems = outcome.problems;
  state.log.record(call);
  await state.holds.get(method);
  reply(res, outcome.status, outcome.answer, outcome.headers);
}

/** `/api/chat.postMessage` → 'chat.postMessage'; `/response/<n>` → 'response_url'; `/upload/<file id>` → 'upload_url'; anything else is not Slack. */
function methodOf(pathname: string): string | undefined {
  if (pathname.startsWith('/api/') && pathname.length > '/api/'.length) return pathname.slice('/api/'.length);
  if (pathname.startsWith('/response/')) return 'response_url';
  if (pathname.startsWith('/upload/')) return 'upload_url';
  return undefined;
}

/** The file's bytes: the one file part of a multipart body (web-api sends it so), else the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
  const file = [...form.values()].find((value) => typeof value !== 'string');
  return file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
}

/** The bytes of a file sent to the upload URL files.getUploadURLExternal handed out; recorded without its body. */
function receiveUpload(res: ServerResponse, pathname: string, raw: Buffer, state: FakeState): void {
  const known = state.files.receive(pathname.slice('/upload/'.length), raw);
  state.log.record({ method: 'upload_url', path: pathname, params: { bytes: raw.length }, at: Date.now(), status: known ? 200 : 404 });
  res.writeHead(known ? 200 : 404, { 'content-type': 'text/plain' }).end(known ? `OK - ${raw.length}` : 'unknown upload');
}

type Outcome = MethodOutcome & { status: number; headers?: Record<string, string> };

function answerCall(method: string, params: Params, token: string | undefined, state: FakeState): Outcome {
  // Response URLs carry their own authority; every Web API method needs a token, as on real Slack.
  if (method === 'response_url') return { status: 200, answer: { ok: true } };
  if (token === undefined) return { status: 200, answer: { ok: false, error: 'not_authed' } };
  return { status: 200, ...state.answer(method, params) };
}

function scriptedOutcome(failure: ScriptedFailure): Outcome {
  if ('error' in failure) return { status: 200, answer: { ok: false, error: failure.error } };
  if (failure.status === 429) {
    const headers = { 'retry-after': String(failure.retryAfter ?? 1) };
    return { status: 429, headers, answer: { ok: false, error: 'ratelimited' } };
  }
  return { status: failure.status, answer: { ok: false, error: `http_${failure.status}` } };
}

function parseBody(body: string, contentType: string | undefined): Params {
  if (body === '') return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = tryJson(body);
    return typeof parsed === 'object' && parsed !== null ? decodeJsonFields(parsed as Params) : { raw: body };
  }
  return decodeJsonFields({ ...parseForm(body) });
}

function decodeJsonFields(params: Params): Params {
  const decoded = { ...params };
  for (const field of JSON_STRING_FIELDS) {
    const value = decoded[field];
    // A value that is not valid JSON stays a string, so the content checks refuse it as Slack would.
    if (typeof value === 'string') decoded[field] = tryJson(value) ?? value;
  }
  return decoded;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function tokenOf(req: IncomingMessage, params: Params): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? (typeof params.token === 'string' ? params.token : undefined);
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
