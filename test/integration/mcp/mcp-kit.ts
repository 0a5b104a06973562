import type { MikroORM } from '@mikro-orm/postgresql';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { APPROVE_ACTION, CANCEL_ACTION } from '../../../src/core/model/action-ids';
import { connectMcpServers, type McpServers } from '../../../src/mcp/connect-mcp-servers';
import { parseMcpServers } from '../../../src/mcp/mcp-config';
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { fakeMcpStdio, type FakeMcpStdio } from '../../fakes/mcp/fake-mcp-stdio';
import { startFakeMcpHttp, type FakeMcpHttp } from '../../fakes/mcp/fake-mcp-http';
import { buildCore, memoryLogger, type Harness } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { RecordingPlatform, type PlatformCall } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

type Post = Extract<PlatformCall, { kind: 'post' }>;
/** Alice asks; Bob is a workspace admin, so he may approve destructive requests too. */
export const ALICE = { id: 'U1', name: 'alice' };
export const BOB = { id: 'U2', name: 'bob' };

/** The fake servers a test file's MCP_SERVERS entries can point at. */
export interface McpFakes {
  readonly stdio: FakeMcpStdio;
  readonly http: FakeMcpHttp;
}

/** What {@link useMcpKit} provides; read the fields inside tests, once beforeAll has run. */
export interface McpKit extends McpFakes {
  readonly db: TestDatabase;
  /** The fake OpenAI, when the kit was asked for a model. */
  readonly llm: FakeOpenAi;
  readonly platform: RecordingPlatform;
  readonly harness: Harness;
  readonly mcp: McpServers;
  /** The JSON lines the core and the MCP clients logged. */
  logLines(): Record<string, unknown>[];
  /** A new thread in a channel of its own (or the one given), see {@link thread}. */
  thread(channel?: string): ReturnType<typeof thread>;
}

/**
 * A test file's database, fake MCP servers (stdio and Streamable HTTP), optionally a fake
 * OpenAI, and the core with `servers(fakes)` connected as MCP_SERVERS: opened in
 * beforeAll, closed in afterAll (after the queue drains). Call it at the top of the file.
 */
export function useMcpKit(servers: (fakes: McpFakes) => unknown[], options: { model?: boolean } = {}): McpKit {
  const kit = {} as { -readonly [K in keyof McpKit]: McpKit[K] };
  beforeAll(async () => {
    kit.db = await createTestDatabase();
    kit.stdio = fakeMcpStdio();
    kit.http = await startFakeMcpHttp();
    if (options.model) kit.llm = await startFakeOpenAi();
    kit.platform = new RecordingPlatform('slack');
    kit.platform.admins.add(BOB.id);
    const logger = memoryLogger();
    kit.logLines = logger.lines;
    kit.harness = buildCore({ db: kit.db, platforms: [kit.platform], tools: [], openAiBaseUrl: kit.llm?.baseUrl, log: logger.log });
    // Connected as app.ts wires them: parsed from an MCP_SERVERS value, each server a tool source.
    kit.mcp = await connectMcpServers(parseMcpServers(JSON.stringify(servers(kit))), logger.log);
    for (const source of kit.mcp.sources) kit.harness.tools.addSource(source);
    kit.thread = (channel) => thread(kit.db.orm, kit.harness, kit.platform, channel);
  });
  afterAll(async () => {
    await kit.harness?.queue.drain();
    await kit.mcp?.close();
    await kit.http?.close();
    await kit.llm?.close();
    kit.stdio?.cleanUp();
    await kit.db?.close();
  });
  return kit;
}

let seq = 0;

/** One Slack thread in its own channel, with what alice can do there and what she sees. */
function thread(orm: MikroORM, harness: Harness, platform: RecordingPlatform, channel = `C${++seq}-${Date.now()}`) {
  const where: ThreadRef = { platform: 'slack', workspace: 'T1', channel, thread: '1.0' };
  const here = (c: PlatformCall) => ('where' in c ? c.where : c.posted.where).channel === channel;
  const posts = () => platform.posts().filter(here);
  const say = (text: string) => harness.core.handleMessage({ where, messageId: `${channel}.${++seq}`, author: ALICE, text });
  const card = () => posts().find((p) => p.message.card?.elements.some((e) => e.type === 'actions' && e.buttons[0]?.actionId === APPROVE_ACTION));
  const valueOf = (post: Post, actionId: string) => {
    const button = post.message.card?.elements.flatMap((e) => (e.type === 'actions' ? e.buttons : [])).find((b) => b.actionId === actionId);
    if (!button) throw new Error(`no ${actionId} button on "${post.message.text}"`);
    return button.value;
  };
  const click = (post: Post, actionId: string, user = ALICE) =>
    harness.core.handleAction({ where, messageId: post.messageId, actionId, value: valueOf(post, actionId), user });
  const result = () => posts().find((p) => /^(✅ Done|❌ Failed|⏹️ Cancelled)/.test(p.message.text))?.message.text;
  const progressPost = () => posts().find((p) => p.message.text.startsWith('Working'));
  return {
    where,
    posts,
    say,
    card,
    /** Every private reply alice got here (command answers, refusals). */
    privateReplies: () => platform.ephemerals().filter(here).map((e) => e.message.text),
    approve: (by = ALICE) => click(card()!, APPROVE_ACTION, by),
    /** Says `command`, approves its card as `by`, waits for the run, and returns the result message. */
    runApproved: async (command: string, by = ALICE) => {
      await say(command);
      await click(card()!, APPROVE_ACTION, by);
      await harness.queue.drain();
      return result();
    },
    cancel: () => click(progressPost()!, CANCEL_ACTION),
    /** The texts the progress message showed, in order (its post, then each edit). */
    progressTexts: () => {
      const progress = progressPost();
      if (!progress) return [];
      return [progress.message.text, ...platform.updates().filter((u) => u.posted.messageId === progress.messageId).map((u) => u.message.text)];
    },
    result,
    stored: () =>
      rows<{ message_type: string; request_status: string | null; run_status: string | null; metadata: Record<string, unknown> }>(
        orm,
        `select m.message_type, q.status as request_status, coalesce(rq.status, rr.status) as run_status, m.metadata
         from message m join conversation c on c.id = m.conversation_id
         left join agent_request q on q.id = m.request_id left join agent_run rq on rq.id = q.run_id left join agent_run rr on rr.id = m.run_id
         where c.channel_id = ? order by m.created_at, m.id`,
        [channel],
      ),
  };
}

/** Polls until `check` passes (it throws until then), for effects that land in another process. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
