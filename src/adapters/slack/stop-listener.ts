import type { App } from '@slack/bolt';
import type { ListenerDeps } from './listener-deps';
import { slackThread } from './slack-where';

/** The fields of agent_session_stopped read here (https://docs.slack.dev/reference/events/agent_session_stopped). */
interface StopEvent {
  readonly channel?: unknown;
  readonly thread_ts?: unknown;
  readonly user?: unknown;
  readonly streaming_message_ts?: unknown;
}

/**
 * A person clicked Stop on a thread's agent session. Slack has already stopped the streams it
 * lists and leaves the rest to the bot: the event is acknowledged at once, and the core stops
 * what runs in the thread, as Cancel would, in the background; a refusal is an ephemeral note
 * in the thread. A Stop delivered twice finds nothing left to stop (the core's stops are
 * conditional updates in Postgres).
 */
export function registerStopListener(app: App, deps: ListenerDeps): void {
  app.event('agent_session_stopped', async ({ event, context, body }) => {
    const stop = event as StopEvent;
    const team = context.teamId ?? body.team_id ?? '';
    const log = deps.log.child({ team, channel: stop.channel, thread: stop.thread_ts, userId: stop.user, eventId: body.event_id });
    const { channel, thread_ts: threadTs, user } = stop;
    if (typeof channel !== 'string' || typeof threadTs !== 'string' || typeof user !== 'string' || threadTs === '') {
      log.warn('malformed agent_session_stopped ignored');
      return;
    }
    const where = slackThread(team, channel, threadTs);
    log.info({ streams: Array.isArray(stop.streaming_message_ts) ? stop.streaming_message_ts.length : 0 }, 'Stop clicked');
    deps.work.start(log, 'stop', async () => {
      const person = await deps.directory.person(user);
      await deps.core.stopThread(where, person, (message) => deps.ephemeral(where, user, message));
    });
  });
}
