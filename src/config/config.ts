/**
 * The whole configuration: every section's settings (src/config/sections/), read once from
 * the environment at start-up and frozen. Each variable is declared once, in its section;
 * the Config's type follows from the declarations. test/unit/config/documented-settings.test.ts
 * checks that .env.example and the README document each one.
 */
import { opsListener, type OpsListener } from './ops-listener';
import { agentSettings } from './sections/agent';
import { budgetSettings } from './sections/budgets';
import { contextSettings } from './sections/context';
import { databaseSettings } from './sections/database';
import { discordConfig, discordSettings, type DiscordConfig } from './sections/discord';
import { executionSettings } from './sections/execution';
import { fileSettings } from './sections/files';
import { httpSettings, opsSettings } from './sections/http';
import { llmSettings } from './sections/llm';
import { loggingSettings } from './sections/logging';
import { mcpSettings } from './sections/mcp';
import { requestSettings } from './sections/requests';
import { scheduleSettings } from './sections/schedules';
import { slackConfig, slackSettings, type SlackConfig } from './sections/slack';
import { toolSettings } from './sections/tools';
import { readSection, settingsOf, type Env, type SectionValue, type Setting } from './setting';

/** Every setting, by where it lands in the Config. */
const SETTINGS = {
  ...loggingSettings,
  database: databaseSettings,
  llm: llmSettings,
  files: fileSettings,
  requests: requestSettings,
  agent: agentSettings,
  budgets: budgetSettings,
  execution: executionSettings,
  tools: toolSettings,
  context: contextSettings,
  schedules: scheduleSettings,
  http: httpSettings,
  ops: opsSettings,
  slack: slackSettings,
  discord: discordSettings,
  ...mcpSettings,
};

/** Every environment variable Switchboard reads, in the order declared. */
export const DECLARED_SETTINGS: readonly Setting<unknown>[] = settingsOf(SETTINGS);

type Settings = SectionValue<typeof SETTINGS>;

/** The whole configuration, parsed once at start-up and frozen: each section as declared, but for the three decided from several. */
export interface Config extends Omit<Settings, 'ops' | 'slack' | 'discord'> {
  /** Where the health, readiness and metrics routes are served (HEALTH_PORT, PORT). */
  readonly ops: OpsListener;
  /** Set when SLACK_BOT_TOKEN is. */
  readonly slack?: SlackConfig;
  /** Set when DISCORD_TOKEN is. */
  readonly discord?: DiscordConfig;
}

/**
 * Parses the environment into a frozen Config.
 * @throws ConfigError with a one-line message naming the first bad variable.
 */
export function loadConfig(env: Env): Config {
  const settings = readSection(SETTINGS, env);
  return deepFreeze({
    ...settings,
    ops: opsListener(settings),
    slack: slackConfig(settings.slack),
    discord: discordConfig(settings.discord, settings.database.url),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
