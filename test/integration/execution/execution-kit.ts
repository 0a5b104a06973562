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

/** `!run <tool> <args>` as `user`; returns the id of the request whose card was posted. */
export async function propose(core: Core, where: ThreadRef, user: Person, tool: string, args: object, cards: () => PlatformCall[]): Promise<string> {
  const before = cards().length;
  await core.handleCommand({ where, user, name: 'run', args: `${tool} ${JSON.stringify(args)}` }, async (m) => {
    throw new Error(`proposal refused: ${m.text}`);
  });
  const card = cards().slice(before).find((c) => c.kind === 'post' && c.message.card);
  const button = card && card.kind === 'post' ? buttonsOf(card.message)[0] : undefined;
  if (!button) throw new Error('no card was posted');
  return button.value;
}

export function buttonsOf(message: OutboundMessage): { actionId: string; value: string; label: string }[] {
  return (message.card?.elements ?? []).flatMap((e) => (e.type === 'actions' ? e.buttons : []));
}

/** A click on a button, answering privately into `replies`. */
export function click(core: Core, where: ThreadRef, user: Person, action: 'approve' | 'deny' | 'cancel', requestId: string, replies: string[] = []) {
  const actionId = { approve: APPROVE_ACTION, deny: DENY_ACTION, cancel: CANCEL_ACTION }[action];
  return core.handleAction({ where, messageId: 'card', actionId, value: requestId, user }, async (m) => {
    replies.push(m.text);
  });
}

export interface RequestRow {
  request_status: string;
  run_attempt: number | null;
  metadata: Record<string, unknown>;
}

export async function requestRow(orm: MikroORM, id: string): Promise<RequestRow> {
  const [row] = await rows<RequestRow>(orm, 'select request_status, run_attempt, metadata from message where id = ?', [id]);
  return row!;
}

/** The request's progress and result rows. */
export function requestMessages(orm: MikroORM, id: string) {
  return rows<{ message_type: string; platform_message_id: string | null; text: string; metadata: Record<string, unknown> }>(
    orm,
    'select message_type, platform_message_id, text, metadata from message where request_id = ? order by created_at',
    [id],
  );
}

/** What the test tools recorded for the request: one row per execution start (step 0) and per step. */
export function toolRuns(orm: MikroORM, id: string) {
  return rows<{ tool: string; pid: number; step: number; at: Date }>(orm, 'select tool, pid, step, at from tool_run where request_id = ? order by id', [id]);
}

/** Polls the request until its status is one of `statuses`. */
export async function waitForStatus(orm: MikroORM, id: string, statuses: string[], timeoutMs: number): Promise<RequestRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await requestRow(orm, id);
    if (statuses.includes(row.request_status)) return row;
    if (Date.now() > deadline) throw new Error(`request ${id} is still ${row.request_status}, expected ${statuses.join(' or ')}`);
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
