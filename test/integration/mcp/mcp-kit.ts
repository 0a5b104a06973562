import type { MikroORM } from '@mikro-orm/postgresql';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { APPROVE_ACTION, CANCEL_ACTION } from '../../../src/core/model/action-ids';
import type { Logger } from '../../../src/logging/logger';
import { connectMcpServers, type McpServers } from '../../../src/mcp/connect-mcp-servers';
import { parseMcpServers } from '../../../src/mcp/mcp-config';
import { buildCore, memoryLogger, type Harness } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { RecordingPlatform, type PlatformCall } from '../../support/recording-platform';

type Post = Extract<PlatformCall, { kind: 'post' }>;
/** Alice asks; Bob is a workspace admin, so he may approve destructive requests too. */
export const ALICE = { id: 'U1', name: 'alice' };
export const BOB = { id: 'U2', name: 'bob' };

/** The real core with MCP servers connected from an MCP_SERVERS value, as main.ts wires them. */
export async function coreWithMcp(orm: MikroORM, servers: unknown[], extra: { openAiBaseUrl?: string; log?: Logger } = {}) {
  const platform = new RecordingPlatform('slack');
  platform.admins.add(BOB.id);
  const logger = memoryLogger();
  const log = extra.log ?? logger.log;
  const harness = buildCore({ orm, platforms: [platform], tools: [], openAiBaseUrl: extra.openAiBaseUrl, log });
  const mcp: McpServers = await connectMcpServers(parseMcpServers(JSON.stringify(servers)), log);
  for (const source of mcp.sources) harness.tools.addSource(source);
  return { platform, harness, mcp, logLines: logger.lines };
}

let seq = 0;

/** One Slack thread in its own channel, with what alice can do there and what she sees. */
export function thread(orm: MikroORM, harness: Harness, platform: RecordingPlatform, channel = `C${++seq}-${Date.now()}`) {
  const where: ThreadRef = { platform: 'slack', workspace: 'T1', channel, thread: '1.0' };
  const here = (c: PlatformCall) => ('where' in c ? c.where : c.posted.where).channel === channel;
  const posts = () => platform.posts().filter(here);
  const say = (text: string) => harness.core.handleMessage({ where, messageId: `${channel}.${++seq}`, author: ALICE, text });
  const card = () => posts().find((p) => p.message.card?.elements.some((e) => e.type === 'actions' && e.buttons[0]?.actionId === APPROVE_ACTION));
  const requestIdOf = (post: Post) => {
    const actions = post.message.card?.elements.find((e) => e.type === 'actions');
    if (actions?.type !== 'actions') throw new Error(`no buttons on "${post.message.text}"`);
    return actions.buttons[0]!.value;
  };
  const click = (post: Post, actionId: string, user = ALICE) =>
    harness.core.handleAction({ where, messageId: post.messageId, actionId, value: requestIdOf(post), user });
  const progressPost = () => posts().find((p) => p.message.text.startsWith('Running'));
  return {
    where,
    posts,
    say,
    card,
    /** Every private reply alice got here (command answers, refusals). */
    privateReplies: () => platform.ephemerals().filter(here).map((e) => e.message.text),
    approve: (by = ALICE) => click(card()!, APPROVE_ACTION, by),
    cancel: () => click(progressPost()!, CANCEL_ACTION),
    /** The texts the progress message showed, in order (its post, then each edit). */
    progressTexts: () => {
      const progress = progressPost();
      if (!progress) return [];
      return [progress.message.text, ...platform.updates().filter((u) => u.posted.messageId === progress.messageId).map((u) => u.message.text)];
    },
    result: () => posts().find((p) => /^(✅ Done|❌ Failed|⏹️ Cancelled)/.test(p.message.text))?.message.text,
    stored: () =>
      rows<{ message_type: string; request_status: string | null; metadata: Record<string, unknown> }>(
        orm,
        `select m.message_type, m.request_status, m.metadata from message m join conversation c on c.id = m.conversation_id
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
