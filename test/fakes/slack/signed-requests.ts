/**
 * The inbound side: Slack calling the bot's HTTP endpoint with signed requests, built the way
 * Slack signs them (https://docs.slack.dev/authentication/verifying-requests-from-slack).
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

// Bolt compares the content type exactly: a `; charset=...` suffix makes it parse the form as JSON and answer 400.
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Ways to bend a signed request: a stale timestamp, a forged signature, or Slack's retry headers. */
export interface SignedRequestOptions {
  /** Unix seconds for X-Slack-Request-Timestamp (and the signature). Default now. */
  timestamp?: number;
  /** Sent instead of the computed X-Slack-Signature, e.g. 'v0=deadbeef'. Default the correct signature. */
  signature?: string;
  /** X-Slack-Retry-Num; omitted by default, as on a first delivery. */
  retryNum?: number;
  /** X-Slack-Retry-Reason, e.g. 'http_timeout'; omitted by default. */
  retryReason?: string;
}

/** The bot's answer: HTTP status, body text, and milliseconds until the response arrived (the ack). */
export interface SignedResponse {
  status: number;
  body: string;
  ms: number;
}

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed by the signing secret. */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** POSTs an Events API envelope as JSON, signed with `secret` (pass a different secret to test rejection). */
export function sendEvent(url: string, secret: string, body: object, opts: SignedRequestOptions = {}): Promise<SignedResponse> {
  return sendSigned(url, secret, JSON.stringify(body), 'application/json', opts);
}

/** POSTs an interaction payload as the single form field `payload=<json>`, signed with `secret`. */
export function sendInteraction(url: string, secret: string, payload: object, opts: SignedRequestOptions = {}): Promise<SignedResponse> {
  const rawBody = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(url, secret, rawBody, FORM_CONTENT_TYPE, opts);
}

/** POSTs slash command fields form-encoded, signed with `secret`. */
export function sendCommand(
  url: string,
  secret: string,
  fields: Record<string, string>,
  opts: SignedRequestOptions = {},
): Promise<SignedResponse> {
  return sendSigned(url, secret, new URLSearchParams(fields).toString(), FORM_CONTENT_TYPE, opts);
}

/** POSTs any raw body with `contentType`, signed with `secret`: for bodies no builder makes, such as fuzzed ones. */
export function sendSigned(
  url: string,
  secret: string,
  rawBody: string,
  contentType: string,
  opts: SignedRequestOptions,
): Promise<SignedResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(rawBody)),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? slackSignature(secret, timestamp, rawBody),
  };
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  return post(url, headers, rawBody);
}

function post(url: string, headers: Record<string, string>, rawBody: string): Promise<SignedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // agent: false closes the connection afterwards, so stopping the bot's server never waits on a kept-alive socket.
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const ms = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms }));
    });
    req.on('error', reject);
    req.end(rawBody);
  });
}
