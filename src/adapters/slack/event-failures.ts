import { isCodedError, type ReceiverProcessEventErrorHandlerArgs, type SocketModeReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import { StoreUnavailableError } from '../../core/errors';

/**
 * Why Bolt could not finish a request: the database did not answer, a listener failed
 * (both may pass when Slack delivers it again), or Slack sent a body Bolt cannot read
 * (which no redelivery fixes). Listener errors reach the receiver through the app's error
 * handler (listeners.ts), which gives each a code; Bolt's own errors on a body it cannot
 * place are thrown before any listener, without one.
 */
type Failure = 'store_unavailable' | 'listener_failed' | 'unreadable';

function failureOf(error: unknown): Failure {
  if (error instanceof StoreUnavailableError) return 'store_unavailable';
  return isCodedError(error) ? 'listener_failed' : 'unreadable';
}

const HTTP_STATUS: Record<Failure, number> = { store_unavailable: 503, listener_failed: 500, unreadable: 400 };

/**
 * HTTP mode: an error status (Slack delivers a 5xx again, up to 3 times over about 5
 * minutes) unless the answer has gone already (a click or command acks first). True tells
 * Bolt the request is answered, which keeps its 3 s "no ack" alarm quiet.
 */
export async function answerFailedEvent({ error, logger, response }: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  if (response.headersSent) return false;
  const failure = failureOf(error);
  if (failure === 'unreadable') logger.warn('Slack sent a body that could not be processed', error);
  response.writeHead(HTTP_STATUS[failure]);
  response.end();
  return true;
}

/**
 * Socket Mode: leave an event whose processing failed unacknowledged, so that Slack sends
 * it again, except a body Bolt cannot read, which is acked so that it is not.
 */
export async function ackFailedEvent({ error, logger }: SocketModeReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  if (failureOf(error) !== 'unreadable') return false;
  logger.warn('Slack sent a body that could not be processed', error);
  return true;
}
