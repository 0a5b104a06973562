/**
 * The Bolt app both baselines run: HTTP mode, one app_mention listener that posts one echo
 * reply in the mention's thread. Plain JavaScript run by node, as a minimal Bolt app would
 * be deployed, so that no subject pays for a TypeScript loader.
 *
 * `beforeAck(event, body)`, when given, runs before the ack: with `processBeforeResponse`
 * Bolt's HTTPReceiver answers Slack only once the listener has returned, so the listener
 * awaits it and then posts the echo without waiting for the post (the ack goes first).
 */
const { App, LogLevel } = require('@slack/bolt');

function startBoltApp({ beforeAck } = {}) {
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    signingSecret: process.env.SLACK_SIGNING_SECRET,
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
    logLevel: LogLevel.ERROR,
    processBeforeResponse: Boolean(beforeAck),
  });
  app.event('app_mention', async ({ event, body, client }) => {
    const echo = () => client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: `echo: ${event.text}` });
    if (!beforeAck) return void (await echo());
    await beforeAck(event, body);
    echo().catch((error) => console.error(error));
  });
  app.start({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { startBoltApp };
