import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { HTTPModuleFunctions, isRawBodyError, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../../logging/logger';

/** Slack's limit on the distance between a request's timestamp and our clock, either way. */
const MAX_SKEW_SECONDS = 5 * 60;

/** Bolt compares the content type exactly; any other is read as JSON. */
const FORM = 'application/x-www-form-urlencoded';

/** Options for {@link guardRequests}. */
export interface RequestGuardOptions {
  /** The path Bolt takes events on; other requests pass untouched. */
  readonly path: string;
  readonly signingSecret: string;
  /** Largest body read, in bytes; default Bolt's own. */
  readonly bodyLimit?: number;
  /** Unix milliseconds now; default the system clock. */
  readonly nowMs?: () => number;
  readonly log: Logger;
}

/**
 * Checks a request to Slack's endpoint before Bolt reads it, answering at once 401 for a
 * timestamp more than 5 minutes off either way, and 400 for a signed body that is not an object.
 * Anything else goes on to `next` with the body already read. Why: docs/development.md,
 * "Checking Slack requests before Bolt".
 */
export function guardRequests(next: RequestListener, options: RequestGuardOptions): RequestListener {
  return (req, res) => {
    // Bolt's own routing throws for unknown paths, for its server's dispatch error handler: stay synchronous there.
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== options.path) return next(req, res);
    void admits(req, res, options).then(
      (admitted) => admitted && next(req, res),
      (err: unknown) => {
        options.log.error({ err }, 'could not check a Slack request');
        if (!res.headersSent) res.writeHead(500).end();
      },
    );
  };
}

/** Whether the request may go on to Bolt; otherwise it has been answered. */
async function admits(req: IncomingMessage, res: ServerResponse, options: RequestGuardOptions): Promise<boolean> {
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  const nowSeconds = (options.nowMs ?? Date.now)() / 1000;
  if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
    options.log.warn({ timestamp, skewSeconds: Math.round(timestamp - nowSeconds) }, 'Slack request refused: its timestamp is too far from our clock');
    return refuse(res, 401);
  }
  let raw: string;
  try {
    raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, options.bodyLimit ?? HTTPModuleFunctions.defaultBodyLimit)).rawBody.toString();
  } catch (error) {
    return refuse(res, isRawBodyError(error) && error.statusCode === 413 ? 413 : 400);
  }
  if (isObjectBody(raw, req.headers['content-type'])) return true;
  const signed = isValidSlackRequest({
    signingSecret: options.signingSecret,
    body: raw,
    headers: { 'x-slack-signature': String(req.headers['x-slack-signature']), 'x-slack-request-timestamp': timestamp },
  });
  if (signed) options.log.warn('Slack request refused: its body is not an object');
  return refuse(res, signed ? 400 : 401);
}

/**
 * Whether Bolt's parse of the body gives an object: the JSON body, or a form's `payload`
 * field when it has exactly one. Valid JSON that starts with `{` is an object; JSON that is
 * not valid is Bolt's to refuse.
 */
function isObjectBody(raw: string, contentType: string | undefined): boolean {
  if (contentType !== FORM) return startsAsObject(raw);
  const { payload } = parseForm(raw);
  return typeof payload !== 'string' || startsAsObject(payload);
}

const startsAsObject = (json: string): boolean => /^[ \t\n\r]*\{/.test(json);

function refuse(res: ServerResponse, status: number): false {
  res.writeHead(status).end();
  return false;
}
