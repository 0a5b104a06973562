/**
 * slack-manifest.yml against the code: the app it creates is an agent (agent_view), every
 * event the Slack adapter listens to is subscribed, every slash command it answers is
 * declared, and every Web API method it calls has its scope. Events and commands are read
 * from the real adapter as it registers them with Bolt; methods from the adapter's source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { safeLoad } from 'js-yaml';
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter';
import type { Core } from '../../../src/core/ports/inbound';
import { createLogger } from '../../../src/logging/logger';
import { startFakeSlack } from '../../fakes/fake-slack';

const ROOT = join(__dirname, '..', '..', '..');
const SLACK_SRC = join(ROOT, 'src', 'adapters', 'slack');

interface Manifest {
  features: { agent_view?: { agent_description?: string; suggested_prompts?: { title: string; message: string }[] }; assistant_view?: unknown; slash_commands?: { command: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
}

const manifest = safeLoad(readFileSync(join(ROOT, 'slack-manifest.yml'), 'utf8')) as Manifest;

/**
 * The bot scopes each Web API method needs, any one of them (https://docs.slack.dev/reference/methods);
 * [] for methods that need none. A method the adapter calls that is missing here fails the test.
 */
const METHOD_SCOPES: Record<string, readonly string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.startStream': ['chat:write'],
  'chat.appendStream': ['chat:write'],
  'chat.stopStream': ['chat:write'],
  'chat.getPermalink': [],
  'auth.test': [],
  'views.open': [],
  'views.publish': [],
  'users.info': ['users:read'],
  'usergroups.users.list': ['usergroups:read'],
  'conversations.open': ['im:write'],
  'reactions.add': ['reactions:write'],
  'reactions.remove': ['reactions:write'],
  'assistant.threads.setStatus': ['assistant:write', 'chat:write'],
  'assistant.threads.setTitle': ['assistant:write'],
  'assistant.threads.setSuggestedPrompts': ['assistant:write'],
  // An agent app has assistant:write; a thread session needs chat:write as well (docs.slack.dev/ai/agent-sessions).
  'agents.sessions.setStatus': ['assistant:write'],
  // read_channel: history of the channel read, whoever's kind it is; who is in it, and which workspace it belongs to.
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.members': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  // web-api's helper: files.getUploadURLExternal and files.completeUploadExternal.
  'files.uploadV2': ['files:write'],
};

/** The scope a message event needs, by where the message was written. */
const MESSAGE_EVENT_SCOPES: Record<string, string> = { 'message.channels': 'channels:history', 'message.groups': 'groups:history', 'message.im': 'im:history', 'message.mpim': 'mpim:history' };

/** Every Web API method the adapter's source calls, as `client.x.y(` or `callSlack('x.y'`. */
function methodsCalled(): string[] {
  const source = readdirSync(SLACK_SRC).map((f) => readFileSync(join(SLACK_SRC, f), 'utf8')).join('\n');
  const viaClient = [...source.matchAll(/client\.([a-z]+(?:\.[a-zA-Z]+)+)\(/g)].map((m) => m[1]!);
  const viaCallSlack = [...source.matchAll(/callSlack\('([a-zA-Z.]+)'/g)].map((m) => m[1]!);
  return [...new Set([...viaClient, ...viaCallSlack])].sort();
}

/** The events and commands the adapter registers with Bolt in agent messaging, as it starts. */
async function registered(): Promise<{ events: string[]; commands: string[] }> {
  const slack = await startFakeSlack();
  const adapter = new SlackAdapter({ botToken: 'xoxb-manifest', signingSecret: 'secret', apiUrl: slack.apiUrl, http: { port: 0, host: '127.0.0.1' }, retryConfig: { retries: 0 }, assistant: { greeting: 'hi', prompts: [] }, messaging: 'agent', log: createLogger({ level: 'silent' }) });
  // Peeks at the adapter's Bolt app to hear what it registers; the registering code is the real one.
  const app = (adapter as unknown as { app: App }).app;
  const events: string[] = [];
  const commands: string[] = [];
  const event = app.event.bind(app);
  const command = app.command.bind(app);
  app.event = ((name: string, ...rest: unknown[]) => (events.push(name), (event as (...a: unknown[]) => void)(name, ...rest))) as App['event'];
  app.command = ((name: string, ...rest: unknown[]) => (commands.push(name), (command as (...a: unknown[]) => void)(name, ...rest))) as App['command'];
  try {
    await adapter.start({} as Core);
    await adapter.stop();
  } finally {
    await slack.close();
  }
  return { events: [...new Set(events)].sort(), commands: [...new Set(commands)].sort() };
}

test('the manifest declares agent messaging (agent_view with a description and at most four prompts), not assistant_view', () => {
  expect(manifest.features.assistant_view).toBeUndefined();
  const view = manifest.features.agent_view!;
  expect(view.agent_description).toEqual(expect.any(String));
  expect(view.suggested_prompts!.length).toBeGreaterThan(0);
  expect(view.suggested_prompts!.length).toBeLessThanOrEqual(4);
  for (const prompt of view.suggested_prompts!) expect(prompt).toEqual({ title: expect.any(String), message: expect.any(String) });
});

test('every event and slash command the adapter listens to is subscribed in the manifest, with the scopes message events need', async () => {
  const { events, commands } = await registered();
  const subscribed = manifest.settings.event_subscriptions.bot_events;
  const scopes = manifest.oauth_config.scopes.bot;

  expect(events).toEqual(expect.arrayContaining(['agent_session_stopped', 'app_home_opened', 'app_mention', 'message']));
  const missing = events.filter((e) => (e === 'message' ? !subscribed.some((s) => s.startsWith('message.')) : !subscribed.includes(e)));
  expect(missing).toEqual([]);
  // Messages are heard in channels, private channels, DMs (the Messages tab) and group DMs.
  expect(subscribed.filter((s) => s.startsWith('message.')).sort()).toEqual(Object.keys(MESSAGE_EVENT_SCOPES).sort());
  for (const [messageEvent, scope] of Object.entries(MESSAGE_EVENT_SCOPES)) expect([messageEvent, scopes.includes(scope)]).toEqual([messageEvent, true]);
  if (subscribed.includes('app_mention')) expect(scopes).toContain('app_mentions:read');
  expect(manifest.features.slash_commands!.map((c) => c.command).sort()).toEqual(commands);
  expect(scopes).toContain('commands');
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
});

test('every Web API method the adapter calls has one of its scopes in the manifest', () => {
  const called = methodsCalled();
  const scopes = manifest.oauth_config.scopes.bot;

  expect(called).toEqual(expect.arrayContaining(['agents.sessions.setStatus', 'chat.startStream', 'chat.postMessage']));
  expect(called.filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
  const unscoped = called.filter((m) => METHOD_SCOPES[m]!.length > 0 && !METHOD_SCOPES[m]!.some((s) => scopes.includes(s)));
  expect(unscoped).toEqual([]);
  // Thread sessions need chat:write beside the agent's assistant:write.
  expect(scopes).toEqual(expect.arrayContaining(['assistant:write', 'chat:write']));
});

test('the adapter downloads the files people share, so the manifest asks for files:read', () => {
  const source = readdirSync(SLACK_SRC).map((f) => readFileSync(join(SLACK_SRC, f), 'utf8')).join('\n');

  expect(source).toContain('url_private_download');
  expect(manifest.oauth_config.scopes.bot).toContain('files:read');
});
