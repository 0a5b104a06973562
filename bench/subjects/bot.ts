/** The subject: Switchboard itself, started exactly as `npm start` would with Slack configured. */
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { startSwitchboard } from '../../src/main';
import { announceReady, answerStatsRequests } from './report-stats';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startSwitchboard(config, createLogger({ level: config.logLevel }));
  process.once('SIGTERM', () => void app.stop().finally(() => process.exit(0)));
  answerStatsRequests();
  announceReady(config.http.port);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
