import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type Logger as BoltLogger, type Receiver, type webApi } from '@slack/bolt';
import { ConfigError } from '../../core/errors';
import { NO_METRICS, type Metrics } from '../../core/ports/metrics';
import type { Logger } from '../../logging/logger';
import { ackAfterListeners } from './ack-after-listeners';
import { boltLogger } from './bolt-logger';
import { ackFailedEvent, answerFailedEvent } from './event-failures';
import { guardRequests } from './request-guard';
import { slackError } from './slack-errors';

/** How to reach Slack. Socket Mode when `appToken` is set, HTTP mode (with `signingSecret`) otherwise. */
export interface SlackConnectionOptions {
  /** `xoxb-` bot token (SLACK_BOT_TOKEN). */
  readonly botToken: string;
  /** Verifies HTTP requests (SLACK_SIGNING_SECRET); required in HTTP mode. */
  readonly signingSecret?: string;
  /** `xapp-` app-level token (SLACK_APP_TOKEN); turns on Socket Mode. */
  readonly appToken?: string;
  /** Web API base (SLACK_API_URL); default https://slack.com/api/. */
  readonly apiUrl?: string;
  /** Where HTTP mode listens for /slack/events; port 0 picks a free one. */
  readonly http: { readonly port: number; readonly host: string };
  /** The Web API client's retry policy for network errors and 5xx; default {@link DEFAULT_RETRY}. */
  readonly retryConfig?: webApi.RetryOptions;
  /** Where acks are timed; default NO_METRICS. */
  readonly metrics?: Metrics;
  /** More GET routes for HTTP mode's server (health, readiness, metrics); none in Socket Mode. */
  readonly routes?: readonly { readonly path: string; readonly method: 'GET'; readonly handler: (req: IncomingMessage, res: ServerResponse) => void }[];
}

/** The Bolt app, and in Socket Mode the socket client, whose connection readiness reports. */
export interface SlackApp {
  readonly app: App;
  readonly socket: SocketModeReceiver['client'] | null;
}

/**
 * Two quick retries. The core's outbound queue retries failed posts and edits itself, so
 * @slack/web-api's own default (10 retries over about 30 minutes) would hold a channel up
 * for half an hour. After a 429 the client waits Retry-After before retrying.
 */
export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 };

/** One Web API request's longest wait; the client's default is none, so a stalled connection would hang forever. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Slack's answers to auth.test that mean the bot token itself is wrong. */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

/**
 * Builds the Bolt app. Initialization is deferred so that auth.test runs in `listen` where
 * its failure is an error we can name, not an unhandled rejection from the constructor.
 */
export function buildApp(options: SlackConnectionOptions, log: Logger): SlackApp {
  if (!options.appToken && !options.signingSecret) {
    throw new ConfigError('missing_variable', 'SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const common = {
    token: options.botToken,
    logger: boltLogger(log),
    deferInitialization: true,
    // Bolt's conversation store keeps state in memory per conversation; every conversation's
    // state here is in Postgres. Left on, each event paid for a rejected lookup (an Error
    // with its stack) in the store's middleware (#16, bench/README.md).
    convoStore: false as const,
    clientOptions: {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      timeout: REQUEST_TIMEOUT_MS,
    },
  };
  const { receiver, socket } = buildReceiver(options, common.logger, common.clientOptions, log);
  return { app: new App({ ...common, receiver }), socket };
}

/** The path Slack sends events, clicks and slash commands to in HTTP mode (Bolt's default). */
const EVENTS_PATH = '/slack/events';

/**
 * Socket Mode or HTTP, each acknowledging events only once their message is stored
 * (ack-after-listeners.ts) and answering failures so that Slack delivers them again
 * (event-failures.ts). HTTP requests pass the request guard before Bolt reads them.
 */
function buildReceiver(options: SlackConnectionOptions, logger: BoltLogger, clientOptions: webApi.WebClientOptions, log: Logger): { receiver: Receiver; socket: SlackApp['socket'] } {
  if (options.appToken) {
    // The Socket Mode client opens its connection through the Web API: it needs the same base URL.
    const socket = new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions }, processEventErrorHandler: ackFailedEvent });
    return { receiver: ackAfterListeners(socket, options.metrics ?? NO_METRICS), socket: socket.client };
  }
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret!,
    endpoints: [EVENTS_PATH],
    logger,
    // False: a click or a slash command is answered the moment its listener acks; events wait for their listener anyway.
    processBeforeResponse: false,
    processEventErrorHandler: answerFailedEvent,
    customRoutes: [...(options.routes ?? [])],
  });
  receiver.requestListener = guardRequests(receiver.requestListener, { path: EVENTS_PATH, signingSecret: options.signingSecret!, log });
  return { receiver: ackAfterListeners(receiver, options.metrics ?? NO_METRICS), socket: null };
}

/** Checks the token, then opens the Socket Mode connection or the HTTP listener. Returns the HTTP server, if any. */
export async function listen(app: App, options: SlackConnectionOptions): Promise<Server | null> {
  try {
    await app.init();
  } catch (error) {
    const failure = slackError('auth.test', {}, error);
    const code = failure.context.slackError;
    if (typeof code === 'string' && BAD_TOKEN.has(code)) {
      throw new ConfigError('slack_auth_failed', `SLACK_BOT_TOKEN: Slack refused the token (${code})`, {}, { cause: error });
    }
    throw failure;
  }
  if (options.appToken) {
    await app.start();
    return null;
  }
  return app.start({ port: options.http.port, host: options.http.host });
}

/** The port an HTTP server listens on. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
