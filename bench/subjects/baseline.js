/**
 * The baseline: a bare Bolt app in HTTP mode that acks each app_mention and posts one echo
 * reply in its thread. No database, no model: what any Bolt bot costs at least. Plain
 * JavaScript run by node, as a minimal Bolt app would be deployed, so that neither subject
 * pays for a TypeScript loader.
 */
const { App, LogLevel } = require('@slack/bolt');

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.event('app_mention', async ({ event, client }) => {
  await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: `echo: ${event.text}` });
});
app.start({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((error) => {
  console.error(error);
  process.exit(1);
});
