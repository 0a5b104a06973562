import type { webApi } from '@slack/bolt';
import { NotInChannelError, PlatformError } from '../../core/errors';
import type { ThreadRef } from '../../core/model/conversation';
import type { SessionUpdate } from '../../core/ports/chat-platform';
import type { Logger } from '../../logging/logger';
import { callSlack } from './slack-errors';
import { CHANNEL_LEVEL } from './slack-where';

/**
 * Refusals about one thread (gone, archived; a channel the bot is not in is a NotInChannelError):
 * that thread shows no session, the others still do.
 */
const THREAD_REFUSALS = new Set(['channel_not_found', 'is_archived', 'thread_not_found', 'invalid_thread_ts', 'message_not_found']);

/** Slack's warning when the app does not hear `agent_session_stopped`: its Stop button would do nothing. */
const NO_STOP_EVENT = 'missing_agent_session_stopped_event_subscription';

/**
 * Slack's agent sessions (https://docs.slack.dev/ai/agent-sessions): each thread's status and
 * title through agents.sessions.setStatus. On until Slack refuses them for the app (not an
 * agent, a missing scope, no `agent_session_stopped` subscription, so no working Stop); then
 * off for this process, after one warning, and the bot shows its work as it did before sessions.
 */
export class SlackSessions {
  private state: 'untried' | 'on' | 'off' = 'untried';

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
  ) {}

  /** False once Slack refused sessions: what depends on their Stop (task cards without a Cancel button) is not offered. */
  get available(): boolean {
    return this.state !== 'off';
  }

  /** Sets the thread's session status; throws only what may pass if tried again (a 429, a 5xx). */
  async set(where: ThreadRef, session: SessionUpdate): Promise<void> {
    if (this.state === 'off' || where.thread === CHANNEL_LEVEL) return;
    const args = {
      channel_id: where.channel,
      thread_ts: where.thread,
      status: session.status,
      ...(session.title && { title: session.title }),
      ...(session.initiatorUserId && { initiator_user_id: session.initiatorUserId }),
    };
    let answer: webApi.AgentsSessionsSetStatusResponse;
    try {
      answer = await callSlack('agents.sessions.setStatus', { channel: where.channel }, () => this.client.agents.sessions.setStatus(args));
    } catch (error) {
      if (!(error instanceof PlatformError) || error.context.retryable !== false) throw error;
      const code = String(error.context.slackError ?? error.code);
      if (error instanceof NotInChannelError || THREAD_REFUSALS.has(code)) return this.log.debug({ err: error, channel: where.channel }, 'no session for this thread');
      return this.turnOff(code, error);
    }
    if (warningsOf(answer).includes(NO_STOP_EVENT)) return this.turnOff(NO_STOP_EVENT, null);
    this.state = 'on';
  }

  private turnOff(why: string, err: unknown): void {
    if (this.state === 'off') return;
    this.state = 'off';
    this.log.warn(
      { err, why },
      'Slack refused agent sessions, so threads show no status, no Stop button and no task cards; runs show an edited progress message with Cancel. See docs/slack.md (agent messaging).',
    );
  }
}

/** The warnings of a Web API answer, top-level and in its metadata. */
function warningsOf(answer: webApi.AgentsSessionsSetStatusResponse): string[] {
  const listed = answer.response_metadata?.warnings ?? [];
  return [...(answer.warning ? answer.warning.split(',') : []), ...listed];
}
