import { randomUUID } from 'node:crypto';
import { newCardToken } from '../../../src/core/approvals/card-token';
import type { ConversationRef, Person, ThreadRef } from '../../../src/core/model/conversation';
import type { NewMessage } from '../../../src/core/model/message';
import type { NewToolCall, NewRequest } from '../../../src/core/ports/stores';
import type { Stores } from '../memory-stores';

export const alice: Person = { id: 'U1', name: 'alice' };
export const bob: Person = { id: 'U2', name: 'bob' };
export const BOT: Person = { id: 'U_BOT', name: 'switchboard' };
/** The history a turn reads with its insert, as the core asks for it. */
export const HISTORY = 20;
/** A step's lease in these tests; time is moved past it, never waited out. */
export const LEASE_MS = 30_000;

let places = 0;
/** A conversation no other test writes to. */
export const conversation = (): ConversationRef => ({ platform: 'slack', workspace: 'T1', channel: `C${++places}` });
/** A workspace no other test writes to. */
export const workspace = (): string => `T${++places}`;
/** A thread in a conversation no other test writes to. */
export const thread = (): ThreadRef => ({ ...conversation(), thread: '100.1' });

/** Resolves once the clock has moved on a few milliseconds, so that the next write's time differs from the last one's. */
export async function nextInstant(): Promise<void> {
  const from = Date.now();
  while (Date.now() < from + 2) await new Promise((resolve) => setTimeout(resolve, 1));
}

export function userMessage(where: ThreadRef, platformMessageId: string, text = platformMessageId, author: Person = alice): NewMessage<'text'> {
  return { where, platformMessageId, author, role: 'user', type: 'text', text, metadata: {} };
}

export function call(callId: string, overrides: Partial<NewToolCall> = {}): NewToolCall {
  return { callId, tool: 'countdown', args: { steps: 1 }, gate: 'auto', status: 'ready', idempotent: true, result: null, ...overrides };
}

export const gatedCall = (callId: string, overrides: Partial<NewToolCall> = {}): NewToolCall => call(callId, { gate: 'gated', status: 'pending', ...overrides });

export function newRequest(now: Date, overrides: Partial<NewRequest> = {}): NewRequest {
  return { id: randomUUID(), summary: 'Count down', destructive: false, expiresAt: new Date(now.getTime() + 60_000), planHash: 'hash-1', cardToken: newCardToken(), ...overrides };
}

/** Options of {@link startRun}: what the first turn asked for. */
export interface RunOptions {
  readonly where?: ThreadRef;
  readonly calls?: readonly NewToolCall[];
  /** A request for the gated calls; the run then waits. */
  readonly request?: NewRequest | null;
  readonly triggerMessageId?: string | null;
  readonly requestedBy?: Person;
}

/** What createRun is given for a run; running with ready calls by default, waiting when given a request. */
export function runInput(now: Date, options: RunOptions = {}): Parameters<Stores['runs']['createRun']>[0] {
  const request = options.request ?? null;
  return {
    where: options.where ?? thread(),
    kind: 'agent',
    status: request ? 'waiting' : 'running',
    requestedBy: options.requestedBy ?? alice,
    triggerMessageId: options.triggerMessageId ?? null,
    traceId: 'trace-1',
    deadlineAt: new Date(now.getTime() + 3_600_000),
    turn: { content: null, usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 }, calls: options.calls ?? (request ? [gatedCall('c1')] : [call('c1')]) },
    request,
  };
}

/** Starts a run (see {@link runInput}). */
export async function startRun(stores: Stores, now: Date, options: RunOptions = {}) {
  const created = await stores.runs.createRun(runInput(now, options));
  if (!created) throw new Error('the run was not created');
  return created;
}

/** A run waiting on one gated call; its request. */
export async function startGate(stores: Stores, now: Date, overrides: Partial<NewRequest> = {}) {
  const { request } = await startRun(stores, now, { request: newRequest(now, overrides) });
  return request!;
}

/** The result message a run ends with. */
export function result(where: ThreadRef, runId: string, text = 'Done.'): NewMessage<'agent_result'> {
  return { where, platformMessageId: null, author: BOT, role: 'assistant', type: 'agent_result', text, metadata: { runId, outcome: 'succeeded', errorCode: null } };
}
