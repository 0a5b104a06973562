import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from './read-body';

/** A tool call the fake model makes; `args` is sent as JSON unless it is already a string (sent as is, valid or not). */
export interface FakeToolCall {
  readonly name: string;
  readonly args: unknown;
  /** Default: `call_<n>`, unique across the fake's answers. */
  readonly id?: string;
}

/** What the fake answers to one chat.completions call. */
export type FakeAnswer =
  /**
   * Words, tool calls, or both. Streamed when the request asks: in `chunks` if given, else word by word, `chunkDelayMs` apart;
   * `dropAfterChunks` cuts the connection after that many pieces, as a server dying mid-answer.
   */
  | { content: string; toolCalls?: readonly FakeToolCall[]; delayMs?: number; finishReason?: string; chunks?: readonly string[]; chunkDelayMs?: number; dropAfterChunks?: number; usage?: FakeUsage }
  | { status: number; retryAfter?: number; delayMs?: number };

interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One part of a message sent in parts: words, or an image (`image_url.url`, a data URL). */
export type RecordedPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

/** A message of a recorded request, as the client sent it; a message sent in parts has their words joined in `content`. */
export interface RecordedMessage {
  role: string;
  content: string | null;
  /** The parts, when the message was sent in parts (a person's words with their images). */
  parts?: RecordedPart[];
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** One request the fake received, with the parts tests look at. */
export interface RecordedCompletion {
  body: {
    model: string;
    messages: RecordedMessage[];
    stream?: boolean;
    tools?: { type: string; function: { name: string; description?: string; parameters?: unknown; strict?: boolean } }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  };
  /** `response_format.json_schema.name` for structured-output calls; `chat` for every other call. */
  purpose: string;
  /** All message contents joined, for "the prompt contains X" assertions. */
  prompt: string;
  headers: IncomingMessage['headers'];
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** Date.now() when the answer was sent (after any delay); unset while the call is in flight. */
  answeredAt?: number;
}

export interface FakeOpenAi {
  /** Pass as OPENAI_BASE_URL. */
  readonly baseUrl: string;
  readonly requests: RecordedCompletion[];
  /** Queues answers for the next calls of a purpose ('*' = any), in order. */
  script(purpose: string, ...answers: FakeAnswer[]): void;
  /** The answer when nothing is queued; default: an empty chat reply. */
  fallback(answer: (request: RecordedCompletion) => FakeAnswer): void;
  requestsFor(purpose: string): RecordedCompletion[];
  /**
   * Holds every answer (received calls are still recorded) until the returned release is
   * called: a test can then show that something happened before the model could answer.
   */
  hold(): () => void;
  /** Forgets queued answers and restores the default fallback; recorded requests stay. */
  reset(): void;
  close(): Promise<void>;
}

/** A plain answer in words. */
export const chatAnswer = (reply: string): FakeAnswer => ({ content: reply });

/** An answer that calls tools (several at once when given several), with optional words beside them. */
export const toolAnswer = (calls: readonly FakeToolCall[], content = ''): FakeAnswer => ({ content, toolCalls: calls });

/** The model asking for `actions` with `summary` as its words: the card's summary when they need approval. */
export const requestAnswer = (summary: string, actions: { tool: string; args: unknown }[]): FakeAnswer =>
  toolAnswer(
    actions.map((a) => ({ name: a.tool, args: a.args })),
    summary,
  );

/** A fake OpenAI-compatible server on 127.0.0.1 that answers /v1/chat/completions from a script and records every request. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: RecordedCompletion[] = [];
  const queues = new Map<string, FakeAnswer[]>();
  const defaultAnswer = (): FakeAnswer => chatAnswer('');
  let fallback: (r: RecordedCompletion) => FakeAnswer = defaultAnswer;
  let held: Promise<void> | null = null;
  let callIds = 0;
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      return send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    const body = withPartsJoined(JSON.parse(await readText(req)) as RecordedCompletion['body']);
    const purpose = body.response_format?.json_schema?.name ?? 'chat';
    const recorded: RecordedCompletion = {
      body,
      purpose,
      prompt: body.messages.map((m) => m.content ?? '').join('\n'),
      headers: req.headers,
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    const answer = queues.get(purpose)?.shift() ?? queues.get('*')?.shift() ?? fallback(recorded);
    if (held) await held;
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    if ('status' in answer) {
      recorded.answeredAt = Date.now();
      const headers = answer.retryAfter !== undefined ? { 'retry-after': String(answer.retryAfter) } : undefined;
      return send(res, answer.status, { error: { message: `scripted ${answer.status}`, type: 'fake' } }, headers);
    }
    const calls = (answer.toolCalls ?? []).map((c) => ({
      id: c.id ?? `call_${++callIds}`,
      type: 'function' as const,
      function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) },
    }));
    const usage = answer.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    const finish = answer.finishReason ?? (calls.length ? 'tool_calls' : 'stop');
    if (body.stream) return stream(res, recorded, { ...answer, calls, usage, finish });
    recorded.answeredAt = Date.now();
    send(res, 200, completion(body.model, answer.content, calls, finish, usage));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (purpose, ...answers) => queues.set(purpose, [...(queues.get(purpose) ?? []), ...answers]),
    fallback: (fn) => {
      fallback = fn;
    },
    requestsFor: (purpose) => requests.filter((r) => r.purpose === purpose),
    hold: () => {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = null;
        release();
      };
    },
    reset: () => {
      queues.clear();
      fallback = defaultAnswer;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type WireCall = { id: string; type: 'function'; function: { name: string; arguments: string } };

function completion(model: string, content: string, calls: WireCall[], finishReason: string, usage: FakeUsage) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, finish_reason: finishReason, logprobs: null, message: { role: 'assistant', content, refusal: null, ...(calls.length && { tool_calls: calls }) } }],
    usage,
  };
}

/** Answers as server-sent events, as OpenAI streams: content pieces, tool calls in two pieces each, then usage, then [DONE]. */
async function stream(
  res: ServerResponse,
  recorded: RecordedCompletion,
  answer: { content: string; chunks?: readonly string[]; chunkDelayMs?: number; dropAfterChunks?: number; calls: WireCall[]; usage: FakeUsage; finish: string },
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const chunk = (delta: object, finish: string | null = null, usage: FakeUsage | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: recorded.body.model, choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }], ...(usage && { usage }) })}\n\n`;
  const pieces = answer.chunks ?? answer.content.match(/\S+\s*|\s+/g) ?? [];
  res.write(chunk({ role: 'assistant', content: '' }));
  for (const [sent, piece] of pieces.entries()) {
    if (answer.chunkDelayMs) await new Promise((r) => setTimeout(r, answer.chunkDelayMs));
    if (res.destroyed) return;
    if (sent === answer.dropAfterChunks) {
      recorded.answeredAt = Date.now();
      res.destroy();
      return;
    }
    res.write(chunk({ content: piece }));
  }
  for (const [index, call] of answer.calls.entries()) {
    const half = Math.ceil(call.function.arguments.length / 2);
    res.write(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) } }] }));
    res.write(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(half) } }] }));
  }
  res.write(chunk({}, answer.finish));
  res.write(chunk({}, null, answer.usage));
  recorded.answeredAt = Date.now();
  res.end('data: [DONE]\n\n');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Messages sent in parts keep them under `parts`, with their words joined as `content`, so text assertions read every message alike. */
function withPartsJoined(body: RecordedCompletion['body']): RecordedCompletion['body'] {
  const messages = body.messages.map((m) => {
    const content = m.content as unknown;
    if (!Array.isArray(content)) return m;
    const parts = content as RecordedPart[];
    return { ...m, parts, content: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n') };
  });
  return { ...body, messages };
}
