import { loadConfig } from '../../../src/config/config';
import { ConfigError } from '../../../src/core/errors';

const configError = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('starts with no variables at all: console, embedded database, no model', () => {
    const config = loadConfig({});
    expect(config.database.url).toBeUndefined();
    expect(config.llm.apiKey).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.discord).toBeUndefined();
    expect(config.requests.ttlMs).toBe(15 * 60_000);
  });

  it('names the variable and the problem in one line', () => {
    const error = configError({ OPENAI_TIMEOUT_MS: 'soon' });
    expect(error.message).toBe("OPENAI_TIMEOUT_MS: expected a whole number from 100 to 600000, got 'soon'");
    expect(error.message).not.toContain('\n');
    expect(error.context).toEqual({ variable: 'OPENAI_TIMEOUT_MS' });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a postgres:\/\/ URL$/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN: expected a bot token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET: required for HTTP mode/],
    [{ DISCORD_TOKEN: 't' }, /^DISCORD_APP_ID: required/],
    [{ REQUEST_TTL: 'a while' }, /^REQUEST_TTL: expected a duration/],
    [{ FOUR_EYES: 'maybe' }, /^FOUR_EYES: expected true or false$/],
    [{ OPENAI_BASE_URL: 'not a url' }, /^OPENAI_BASE_URL: expected a URL/],
    [{ HTTP_ALLOWED_HOSTS: 'api.example.com, https://x.test/' }, /^HTTP_ALLOWED_HOSTS: expected host or host:port entries .*, got 'https:\/\/x.test\/'$/],
    [{ HTTP_ALLOWED_HOSTS: 'db.internal:99999' }, /^HTTP_ALLOWED_HOSTS: expected host or host:port entries/],
    [{ HTTP_GET_MAX_BYTES: '1e9' }, /^HTTP_GET_MAX_BYTES: expected a whole number/],
    [{ STORE_TIMEOUT: '5s' }, /^STORE_TIMEOUT: expected at least 100ms and under 3s/],
    [{ SLACK_ASSISTANT_PROMPTS: '[{"title":"x"' }, /^SLACK_ASSISTANT_PROMPTS: expected valid JSON$/],
    [{ SLACK_ASSISTANT_PROMPTS: '[{"title":"Hi"}]' }, /^SLACK_ASSISTANT_PROMPTS: expected 1 to 4 prompts as a JSON array/],
    [{ SLACK_ASSISTANT_PROMPTS: 'a|b|c|d|e' }, /^SLACK_ASSISTANT_PROMPTS: expected 1 to 4 prompts/],
  ])('refuses %p', (env, message) => {
    expect(configError(env).message).toMatch(message);
  });

  it('parses durations, lists and booleans', () => {
    const config = loadConfig({ REQUEST_TTL: '2h', APPROVERS: 'U1, S2 ,', FOUR_EYES: 'true', ACTION_TIMEOUT: '30s' });
    expect(config.requests).toMatchObject({ ttlMs: 7_200_000, approvers: ['U1', 'S2'], fourEyes: true, actionTimeoutMs: 30_000 });
    expect(loadConfig({ STORE_TIMEOUT: '1500ms' }).database.storeTimeoutMs).toBe(1500);
    expect(loadConfig({}).database.storeTimeoutMs).toBe(2000);
  });

  it('reads the http_get allow-list as host or host:port entries, and its byte cap, default 1 MiB', () => {
    expect(loadConfig({}).tools).toEqual({ httpAllowedHosts: [], httpGetMaxBytes: 1_048_576 });
    const config = loadConfig({ HTTP_ALLOWED_HOSTS: 'API.Example.com, 127.0.0.1:8080,[::1]:9000', HTTP_GET_MAX_BYTES: '65536' });
    expect(config.tools).toEqual({ httpAllowedHosts: ['api.example.com', '127.0.0.1:8080', '[::1]:9000'], httpGetMaxBytes: 65_536 });
  });

  it('reads the Slack assistant panel prompts as JSON or a |-separated list, with a greeting and defaults', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    const defaults = loadConfig(slack).slack!.assistant;
    expect(defaults.prompts.length).toBeGreaterThan(0);
    expect(defaults.greeting).not.toBe('');
    const listed = loadConfig({ ...slack, SLACK_ASSISTANT_PROMPTS: ' Deploy status? | !pending ', SLACK_ASSISTANT_GREETING: 'Hello there' }).slack!.assistant;
    expect(listed).toEqual({ greeting: 'Hello there', prompts: [{ title: 'Deploy status?', message: 'Deploy status?' }, { title: '!pending', message: '!pending' }] });
    const json = loadConfig({ ...slack, SLACK_ASSISTANT_PROMPTS: '[{"title":"Waiting","message":"!pending"}]' }).slack!.assistant;
    expect(json.prompts).toEqual([{ title: 'Waiting', message: '!pending' }]);
  });

  it('freezes the result so nothing changes configuration after start-up', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config.requests.approvers)).toBe(true);
    expect(() => {
      (config.llm as { model: string }).model = 'x';
    }).toThrow(TypeError);
  });

  describe('where the health, readiness and metrics routes are served', () => {
    const slackHttp = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    const socketMode = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' };
    const discord = { DISCORD_TOKEN: 't', DISCORD_APP_ID: '1' };

    it.each([
      ['Slack HTTP mode: on its own server', slackHttp, { on: 'slack' }],
      ['Slack HTTP mode with HEALTH_PORT equal to PORT: still on it', { ...slackHttp, PORT: '8080', HEALTH_PORT: '8080' }, { on: 'slack' }],
      ['Slack HTTP mode with another HEALTH_PORT: kept off the public port', { ...slackHttp, HEALTH_PORT: '9090' }, { on: 'own', port: 9090, variable: 'HEALTH_PORT' }],
      ['Socket Mode: a server of their own on PORT', socketMode, { on: 'own', port: 3000, variable: 'PORT' }],
      ['Discord: a server of their own on PORT', { ...discord, PORT: '8000' }, { on: 'own', port: 8000, variable: 'PORT' }],
      ['console only: none', {}, { on: 'none' }],
      ['console with HEALTH_PORT: on it', { HEALTH_PORT: '0' }, { on: 'own', port: 0, variable: 'HEALTH_PORT' }],
      ['discord.js shard 2 of a sharded bot: the port plus 2', { ...discord, DATABASE_URL: 'postgres://x/y', DISCORD_SHARDS: '4', SHARDING_MANAGER: 'true', SHARDS: '2' }, { on: 'own', port: 3002, variable: 'PORT' }],
    ])('%s', (_, env, expected) => {
      expect(loadConfig(env).ops).toEqual(expected);
    });

    it('refuses a HEALTH_PORT that is not a port', () => {
      expect(configError({ HEALTH_PORT: '70000' }).message).toBe("HEALTH_PORT: expected a whole number from 0 to 65535, got '70000'");
    });
  });
});
