/**
 * The contract driver for Slack: people act through signed HTTP requests into Bolt's
 * receiver (the adapter's real listener), and what they see is read from the calls the
 * fake Slack Web API received: chat.postMessage, chat.update, chat.postEphemeral and
 * posts to response URLs.
 */
import type { ThreadRef } from '../../../src/core/model/conversation';
import { SLACK_BUDGETS } from '../../../src/adapters/slack/limits';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import type { Shown, ShownButton } from '../../support/platform-matchers';
import { POSTED_ANSWERS } from '../../support/core-harness';
import { startSlackHarness, type Interaction, type SlackHarness } from '../slack/slack-harness';
import { buttonOf, commandWords, hasLogLine, type Conversation, type DriverSpec, type PlatformDriver, type ShownFile, type SlashCommand } from './driver';

const USER = { id: 'U1', name: 'user-u1' };

type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: string | { text: string }; action_id?: string; value?: string }[];
};

/** Slack through Bolt's HTTP receiver and the fake Web API. */
export const slackDriver: DriverSpec = {
  name: 'Slack',
  textLimit: SLACK_BUDGETS.textMessage,
  quirks: {},
  start: async () => driverOver(await startSlackHarness({ settings: POSTED_ANSWERS })),
};

function driverOver(h: SlackHarness): PlatformDriver {
  let conversations = 0;
  return {
    adapter: h.core.deps.platforms.get('slack'),
    llm: h.llm,
    db: h.db,
    open: async () => new SlackConversation(h, ++conversations),
    logged: (msg, fields) => hasLogLine(h.logLines(), msg, fields),
    settle: () => h.core.queue.drain(),
    stop: () => h.close(),
  };
}

class SlackConversation implements Conversation {
  readonly user = USER;
  readonly where: ThreadRef;
  private readonly interactions: Interaction[] = [];
  private said: string | null = null;

  constructor(
    private readonly h: SlackHarness,
    n: number,
  ) {
    // Each conversation is a channel of its own; its thread is the first message said there.
    this.where = { platform: 'slack', workspace: 'T1', channel: `CCONTRACT${n}`, thread: `${1650000000 + n}.000100` };
  }

  async say(text: string): Promise<void> {
    if (this.said !== null) throw new Error('a contract conversation says one thing');
    this.said = text;
    await this.h.mention({ channel: this.where.channel, user: USER.id, text, ts: this.where.thread });
  }

  async redeliver(): Promise<void> {
    // What Slack does after a slow ack: the same message, a new event id, a retry header.
    const event = { channel: this.where.channel, user: USER.id, text: this.said!, ts: this.where.thread, eventId: `EvRetry${this.where.channel}` };
    await this.h.mention(event, { retryNum: 1, retryReason: 'http_timeout' });
  }

  async click(message: Shown, label: string): Promise<void> {
    const [actionId = '', value = ''] = buttonOf(message, label).key.split(' ');
    const click = { channel: this.where.channel, user: USER.id, actionId, value, messageTs: message.messageId!, threadTs: this.where.thread };
    this.interactions.push(await this.h.click(click));
  }

  async command(command: SlashCommand): Promise<void> {
    const fields = { channel: this.where.channel, user: USER.id, command: `/${command.command}`, text: commandWords(command) };
    this.interactions.push(await this.h.command(fields));
  }

  files(): ShownFile[] {
    return this.h.slack.files.filter((f) => f.channel === this.where.channel).map((f) => ({ name: f.name, text: f.text }));
  }

  shown(): Shown[] {
    const answers = new Set(this.interactions.flatMap((i) => i.responses()));
    const ours = this.h.slack.calls.filter((call) => (call.params.channel === this.where.channel || answers.has(call)) && call.error === undefined);
    return ours.flatMap((call) => this.shownBy(call));
  }

  private shownBy(call: FakeSlackCall): Shown[] {
    const { params } = call;
    const inThread = params.thread_ts === this.where.thread;
    const seen = { text: visibleText(params), buttons: buttonsIn(params.blocks), inThread };
    switch (call.method) {
      case 'chat.postMessage':
        return [{ kind: 'post', messageId: String(call.answer?.ts), ...seen }];
      case 'chat.update':
        return [{ kind: 'edit', messageId: String(params.ts), ...seen }];
      case 'chat.stopStream':
        // A streamed answer, as the person sees it once it ends.
        return [{ kind: 'post', messageId: String(params.ts), text: this.h.slack.streams.get(String(params.ts))!.text, buttons: [], inThread: true }];
      case 'chat.postEphemeral':
        return [{ kind: 'private', messageId: null, to: String(params.user), ...seen }];
      case 'response_url':
        // A response URL answers the one person who clicked or ran the command.
        return [{ kind: params.replace_original ? 'edit' : 'private', messageId: null, to: USER.id, ...seen }];
      default:
        return [];
    }
  }
}

/** What a person reads: the blocks' text when there are blocks, the message text otherwise, with Slack's escapes undone. */
function visibleText(params: Record<string, unknown>): string {
  const blocks = Array.isArray(params.blocks) ? (params.blocks as Block[]) : [];
  const parts = blocks.length ? blocks.flatMap(blockText) : [String(params.text ?? '')];
  return parts.join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function blockText(block: Block): string[] {
  if (block.type === 'actions') return [];
  const elements = (block.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')));
  return [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text), ...elements].filter(Boolean);
}

function buttonsIn(blocks: unknown): ShownButton[] {
  const actions = Array.isArray(blocks) ? (blocks as Block[]).filter((b) => b.type === 'actions') : [];
  return actions.flatMap((b) => b.elements ?? []).map((e) => ({ label: typeof e.text === 'string' ? e.text : (e.text?.text ?? ''), key: `${e.action_id} ${e.value}` }));
}
