/** What the agent's core tests share: a core over real Postgres and the fake model, tools with every risk, and readers for the rows. */
import { z } from 'zod';
import { APPROVE_ACTION, DENY_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../../../src/core/model/action-ids';
import type { Person, ThreadRef } from '../../../src/core/model/conversation';
import type { CoreSettings } from '../../../src/core/core-deps';
import type { Tool } from '../../../src/core/ports/tools';
import { defineTool } from '../../../src/tools/define-tool';
import { countdownTool } from '../../../src/tools/countdown';
import { buildCore, type Harness } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { RecordingPlatform, type PlatformCall } from '../../support/recording-platform';
import type { DatabaseAndModel } from '../../support/database-and-model';

export const alice: Person = { id: 'U_ALICE', name: 'alice' };
export const bob: Person = { id: 'U_BOB', name: 'bob' };

/** Every run of `drop_table` and `write_note`, in order: what really happened. */
export const executed: { tool: string; args: unknown }[] = [];

export const dropTableTool = defineTool({
  name: 'drop_table',
  description: 'Drops a table',
  input: z.object({ table: z.string() }),
  destructive: true,
  preview: ({ table }) => `drops the table ${table}`,
  execute: async (args) => {
    executed.push({ tool: 'drop_table', args });
    return { text: `dropped ${args.table}` };
  },
});

export const writeNoteTool = defineTool({
  name: 'write_note',
  description: 'Writes a note',
  input: z.object({ text: z.string().max(20) }),
  execute: async (args) => {
    executed.push({ tool: 'write_note', args });
    return { text: `wrote ${args.text}` };
  },
});

/** A read-only tool whose answer the model cannot know: a value only its output has. */
export const readStatusTool = (status: () => string): Tool =>
  defineTool({
    name: 'read_status',
    description: 'Reads the health of a service',
    input: z.object({ service: z.string() }),
    readOnly: true,
    idempotent: true,
    execute: async ({ service }) => ({ text: `${service}: ${status()}` }),
  });

let threads = 0;
let messages = 0;

/** A core with a recording platform, in a channel of its own. */
export function agentSetup(
  services: DatabaseAndModel,
  options: { settings?: Partial<CoreSettings>; tools?: Tool[]; where?: Partial<ThreadRef>; llmTimeoutMs?: number; llmMaxRetries?: number } = {},
) {
  const platform = new RecordingPlatform('slack');
  const harness: Harness = buildCore({
    db: services.db,
    platforms: [platform],
    openAiBaseUrl: services.llm.baseUrl,
    tools: options.tools ?? [countdownTool, dropTableTool, writeNoteTool],
    settings: options.settings,
    llmTimeoutMs: options.llmTimeoutMs,
    llmMaxRetries: options.llmMaxRetries,
  });
  const where: ThreadRef = { platform: 'slack', workspace: 'T1', channel: `CAGENT${++threads}-${process.pid}`, thread: `${Date.now()}.${threads}`, ...options.where };
  const say = async (text: string, author: Person = alice) => {
    await harness.core.handleMessage({ where, messageId: `agent.${++messages}`, author, text });
    await harness.queue.drain();
  };
  return { platform, harness, where, say, ...readers(services, where), ...clicks(harness, platform, where) };
}

function readers(services: DatabaseAndModel, where: ThreadRef) {
  const inChannel = `join conversation c on c.id = x.conversation_id where c.channel_id = '${where.channel}'`;
  return {
    messages: () => rows<{ role: string; message_type: string; text: string; platform_message_id: string | null }>(services.db.orm, `select x.role, x.message_type, x.text, x.platform_message_id from message x ${inChannel} order by x.created_at, x.id`),
    runs: () => rows<{ id: string; status: string; turns: number; tool_calls: number; total_tokens: number; error_code: string | null }>(services.db.orm, `select x.* from agent_run x ${inChannel} order by x.created_at`),
    calls: () =>
      rows<{ tool: string; args: unknown; gate: string; status: string; output: string | null; result: string | null; request_id: string | null }>(
        services.db.orm,
        `select k.* from tool_call k join agent_run x on x.id = k.run_id ${inChannel} order by k.created_at, k.turn_seq, k.position`,
      ),
    requests: () => rows<{ id: string; status: string; plan_hash: string; reason: string | null; destructive: boolean }>(services.db.orm, `select q.* from agent_request q join agent_run x on x.id = q.run_id ${inChannel} order by q.created_at`),
  };
}

/** The posted approval cards, newest last. */
export function cardsOf(platform: RecordingPlatform): Extract<PlatformCall, { kind: 'post' }>[] {
  return platform.posts().filter((p) => p.message.card?.elements.some((e) => e.type === 'actions' && e.buttons.some((b) => b.actionId === APPROVE_ACTION)));
}

export function buttonOf(card: Extract<PlatformCall, { kind: 'post' }>, actionId: string): { value: string } {
  const buttons = card.message.card!.elements.flatMap((e) => (e.type === 'actions' ? e.buttons : []));
  return buttons.find((b) => b.actionId === actionId)!;
}

/** Where a click comes from and what it carries, when not the latest card as posted. */
interface PressOptions {
  readonly card?: Extract<PlatformCall, { kind: 'post' }>;
  /** The button's value, e.g. from the card as an edit redrew it. */
  readonly value?: string;
  readonly form?: Record<string, string>;
  readonly at?: Partial<ThreadRef>;
  readonly messageId?: string;
}

function clicks(harness: Harness, platform: RecordingPlatform, where: ThreadRef) {
  const replies: string[] = [];
  const press = async (actionId: string, user: Person, options: PressOptions = {}) => {
    const card = options.card ?? cardsOf(platform).at(-1)!;
    const value = options.value ?? buttonOf(card, actionId).value;
    await harness.core.handleAction({ where: { ...where, ...options.at }, messageId: options.messageId ?? card.messageId, actionId, value, user, ...(options.form && { form: options.form }) }, async (m) => {
      replies.push(m.text);
    });
    await harness.queue.drain();
  };
  return {
    replies,
    approve: (user = bob, options: PressOptions = {}) => press(APPROVE_ACTION, user, options),
    deny: (user = bob, options: PressOptions = {}) => press(DENY_ACTION, user, options),
    denyWithReason: (reason: string, user = bob) => press(DENY_WITH_REASON_ACTION, user, { form: { reason } }),
    edit: (form: Record<string, string>, user = alice) => press(EDIT_ACTION, user, { form }),
  };
}
