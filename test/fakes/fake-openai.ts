import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from './read-body';

/** What the fake answers to one chat.completions call. */
export type FakeAnswer =
  | { json: unknown; delayMs?: number }
  | { content: string; delayMs?: number; finishReason?: string }
  | { status: number; retryAfter?: number; delayMs?: number };

/** One request the fake received, with the parts tests look at. */
export interface RecordedCompletion {
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  };
  /** `response_format.json_schema.name`: which structured call this was (intent, extraction, ...). */
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
  close(): Promise<void>;
}

/** An intent answer for a chat reply. */
export const chatAnswer = (reply: string): FakeAnswer => ({
  json: { kind: 'chat', reply, summary: null, actions: null, destructive: null },
});

/** An intent answer proposing actions; args are given as objects and sent as argsJson strings. */
export const requestAnswer = (
  summary: string,
  actions: { tool: string; args: unknown; reason?: string }[],
  destructive = false,
): FakeAnswer => ({
  json: {
    kind: 'agent_request',
    reply: null,
    summary,
    actions: actions.map((a) => ({ tool: a.tool, argsJson: JSON.stringify(a.args), reason: a.reason ?? 'asked for' })),
    destructive,
  },
});

/** A fake OpenAI-compatible server on 127.0.0.1 that answers /v1/chat/completions from a script and records every request. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: RecordedCompletion[] = [];
  const queues = new Map<string, FakeAnswer[]>();
  let fallback: (r: RecordedCompletion) => FakeAnswer = () => chatAnswer('');
  let held: Promise<void> | null = null;
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
    const body = JSON.parse(await readText(req)) as RecordedCompletion['body'];
    const purpose = body.response_format?.json_schema?.name ?? 'none';
    const recorded: RecordedCompletion = {
      body,
      purpose,
      prompt: body.messages.map((m) => m.content).join('\n'),
      headers: req.headers,
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    const answer = queues.get(purpose)?.shift() ?? queues.get('*')?.shift() ?? fallback(recorded);
    if (held) await held;
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    recorded.answeredAt = Date.now();
    if (res.destroyed) return;
    if ('status' in answer) {
      const headers = answer.retryAfter !== undefined ? { 'retry-after': String(answer.retryAfter) } : undefined;
      return send(res, answer.status, { error: { message: `scripted ${answer.status}`, type: 'fake' } }, headers);
    }
    const content = 'json' in answer ? JSON.stringify(answer.json) : answer.content;
    const finishReason = 'finishReason' in answer && answer.finishReason ? answer.finishReason : 'stop';
    send(res, 200, completion(body.model, content, finishReason));
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
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function completion(model: string, content: string, finishReason: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, finish_reason: finishReason, logprobs: null, message: { role: 'assistant', content, refusal: null } }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
