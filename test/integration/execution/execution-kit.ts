import type { MikroORM } from '@mikro-orm/postgresql';
import type { Person, ThreadRef } from '../../../src/core/model/conversation';
import type { OutboundMessage } from '../../../src/core/model/card';
import { APPROVE_ACTION, CANCEL_ACTION, DENY_ACTION } from '../../../src/core/model/action-ids';
import type { Core } from '../../../src/core/ports/inbound';
import { rows } from '../../support/db-rows';
import type { PlatformCall } from '../../support/recording-platform';

export const alice: Person = { id: 'U_ALICE', name: 'alice' };
export const bob: Person = { id: 'U_BOB', name: 'bob' };
export const carol: Person = { id: 'U_CAROL', name: 'carol' };

let seq = 0;
/** A fresh thread per test, so tests in one file never see each other's messages. */
export function newThread(): ThreadRef {
  return { platform: 'slack', workspace: 'T1', channel: `C${++seq}-${process.pid}`, thread: `${Date.now()}.${seq}` };
}

/** A gate as a test holds it: its request, its card and what its Approve button carries. */
export interface Gate {
  readonly requestId: string;
  readonly cardMessageId: string;
  readonly approveValue: string;
}

/** `!run <tool> <args>` as `user`; returns the gate whose card was posted. */
export async function propose(core: Core, where: ThreadRef, user: Person, tool: string, args: object, cards: () => PlatformCall[]): Promise<Gate> {
  const before = cards().length;
  await core.handleCommand({ where, user, name: 'run', args: `${tool} ${JSON.stringify(args)}` }, async (m) => {
    throw new Error(`proposal refused: ${m.text}`);
  });
  const card = cards().slice(before).find((c) => c.kind === 'post' && c.message.card);
  const approve = card && card.kind === 'post' ? buttonsOf(card.message).find((b) => b.actionId === APPROVE_ACTION) : undefined;
  if (!card || card.kind !== 'post' || !approve) throw new Error('no card was posted');
  return { requestId: approve.value.split('.')[0]!, cardMessageId: card.messageId, approveValue: approve.value };
}

export function buttonsOf(message: OutboundMessage): { actionId: string; value: string; label: string }[] {
  return (message.card?.elements ?? []).flatMap((e) => (e.type === 'actions' ? e.buttons : []));
}

/** A click on the gate's card, answering privately into `replies`. */
export function click(core: Core, where: ThreadRef, user: Person, action: 'approve' | 'deny' | 'cancel', gate: Gate, replies: string[] = []) {
  const actionId = { approve: APPROVE_ACTION, deny: DENY_ACTION, cancel: CANCEL_ACTION }[action];
  const value = action === 'approve' ? gate.approveValue : gate.requestId;
  return core.handleAction({ where, messageId: gate.cardMessageId, actionId, value, user }, async (m) => {
    replies.push(m.text);
  });
}

/** The gate's request and its run, as stored. */
export interface GateRow {
  /** The request: pending, approved, denied, expired or cancelled. */
  readonly request: string;
  readonly decided_by_id: string | null;
  readonly decided_at: Date | null;
  /** The run: running, waiting, or how it ended. */
  readonly run: string;
  readonly attempt: number;
  readonly error_code: string | null;
}

export async function gateRow(orm: MikroORM, gate: Gate): Promise<GateRow> {
  const [row] = await rows<GateRow>(
    orm,
    `select q.status as request, q.decided_by_id, q.decided_at, r.status as run, r.attempt, r.error_code
     from agent_request q join agent_run r on r.id = q.run_id where q.id = ?`,
    [gate.requestId],
  );
  return row!;
}

/** The run's progress and result rows. */
export function runMessages(orm: MikroORM, gate: Gate) {
  return rows<{ message_type: string; platform_message_id: string | null; text: string; metadata: Record<string, unknown> }>(
    orm,
    `select m.message_type, m.platform_message_id, m.text, m.metadata from message m
     join agent_request q on q.run_id = m.run_id where q.id = ? order by m.created_at`,
    [gate.requestId],
  );
}

/** What the test tools recorded for the gate's run: one row per execution start (step 0) and per step. */
export function toolRuns(orm: MikroORM, gate: Gate) {
  return rows<{ tool: string; pid: number; step: number; at: Date }>(
    orm,
    'select t.tool, t.pid, t.step, t.at from tool_run t join agent_request q on q.run_id = t.run_id where q.id = ? order by t.id',
    [gate.requestId],
  );
}

/** Polls until the gate's run is in one of `statuses`. */
export async function waitForRun(orm: MikroORM, gate: Gate, statuses: string[], timeoutMs: number): Promise<GateRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await gateRow(orm, gate);
    if (statuses.includes(row.run)) return row;
    if (Date.now() > deadline) throw new Error(`run of request ${gate.requestId} is still ${row.run}, expected ${statuses.join(' or ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type PostCall = Extract<PlatformCall, { kind: 'post' }>;

/** Posts among `calls`, in order. */
export function postsOf(calls: PlatformCall[]): PostCall[] {
  return calls.filter((c): c is PostCall => c.kind === 'post');
}

/** Updates of one message, in order. */
export function editsOf(calls: PlatformCall[], messageId: string): Extract<PlatformCall, { kind: 'update' }>[] {
  return calls.filter((c): c is Extract<PlatformCall, { kind: 'update' }> => c.kind === 'update' && c.posted.messageId === messageId);
}
