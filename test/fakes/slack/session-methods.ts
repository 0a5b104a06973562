/**
 * agents.sessions.setStatus and agents.sessions.rename as Slack checks them
 * (https://docs.slack.dev/ai/agent-sessions and the methods' reference pages): a thread
 * session in a channel or DM, one of the four statuses, a title of at most 200 characters
 * (set when the session is created; setStatus ignores it afterwards, rename changes it).
 * Without the `agent_session_stopped` subscription Slack answers with a warning.
 */
import type { Answer, Params } from './web-api-methods';

export const SESSION_STATUSES = ['active', 'processing', 'suspended', 'closed'] as const;
export const SESSION_TITLE_LIMIT = 200;
export const NO_STOP_SUBSCRIPTION = 'missing_agent_session_stopped_event_subscription';

/**
 * How the fake app stands with agent sessions: `on` (an agent, subscribed to
 * `agent_session_stopped`); `no_stop_subscription` (statuses set, with Slack's warning);
 * `not_an_agent` (refused as Slack refuses an app not declared an agent, here `not_allowed`).
 */
export type FakeSessionSupport = 'on' | 'no_stop_subscription' | 'not_an_agent';

/** One thread's session as the fake keeps it. */
export interface FakeSession {
  readonly channel: string;
  readonly threadTs: string;
  title: string | null;
  readonly initiator: string | null;
  /** Every status set, in order. */
  readonly statuses: string[];
}

type Handler = (params: Params) => Answer;

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The two methods over `sessions` (by `channel/thread_ts`), which tests read. */
export function sessionHandlers(sessions: Map<string, FakeSession>, support: FakeSessionSupport): Record<string, Handler> {
  const refusal = (params: Params): Answer | undefined => {
    if (support === 'not_an_agent') return { ok: false, error: 'not_allowed' };
    if (!isText(params.channel_id)) return { ok: false, error: 'channel_not_found' };
    if (!isText(params.thread_ts)) return { ok: false, error: 'invalid_arguments' };
    if (params.title !== undefined && (!isText(params.title) || params.title.length > SESSION_TITLE_LIMIT)) return { ok: false, error: 'invalid_arguments' };
    return undefined;
  };
  const warning = support === 'no_stop_subscription' ? { warning: NO_STOP_SUBSCRIPTION, response_metadata: { warnings: [NO_STOP_SUBSCRIPTION] } } : {};
  return {
    'agents.sessions.setStatus': (params) => {
      const refused = refusal(params);
      if (refused) return refused;
      if (!(SESSION_STATUSES as readonly unknown[]).includes(params.status)) return { ok: false, error: 'invalid_arguments' };
      const key = `${String(params.channel_id)}/${String(params.thread_ts)}`;
      const session = sessions.get(key) ?? { channel: String(params.channel_id), threadTs: String(params.thread_ts), title: isText(params.title) ? params.title : null, initiator: isText(params.initiator_user_id) ? params.initiator_user_id : null, statuses: [] };
      sessions.set(key, session);
      session.statuses.push(String(params.status));
      return { ok: true, status: params.status, title: session.title ?? undefined, ...warning };
    },
    'agents.sessions.rename': (params) => {
      const refused = refusal(params);
      if (refused) return refused;
      if (!isText(params.title)) return { ok: false, error: 'invalid_arguments' };
      const session = sessions.get(`${String(params.channel_id)}/${String(params.thread_ts)}`);
      if (!session) return { ok: false, error: 'session_not_found' };
      session.title = params.title;
      return { ok: true, title: session.title };
    },
  };
}
