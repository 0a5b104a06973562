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
    [{ STORE_TIMEOUT: '5s' }, /^STORE_TIMEOUT: expected at least 100ms and under 3s/],
  ])('refuses %p', (env, message) => {
    expect(configError(env).message).toMatch(message);
  });

  it('parses durations, lists and booleans', () => {
    const config = loadConfig({ REQUEST_TTL: '2h', APPROVERS: 'U1, S2 ,', FOUR_EYES: 'true', ACTION_TIMEOUT: '30s' });
    expect(config.requests).toMatchObject({ ttlMs: 7_200_000, approvers: ['U1', 'S2'], fourEyes: true, actionTimeoutMs: 30_000 });
    expect(loadConfig({ STORE_TIMEOUT: '1500ms' }).database.storeTimeoutMs).toBe(1500);
    expect(loadConfig({}).database.storeTimeoutMs).toBe(2000);
  });

  it('freezes the result so nothing changes configuration after start-up', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config.requests.approvers)).toBe(true);
    expect(() => {
      (config.llm as { model: string }).model = 'x';
    }).toThrow(TypeError);
  });
});
