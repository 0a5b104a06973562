import type { AckFn, App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { AckKind, Metrics } from '../../core/ports/metrics';

/**
 * Makes a Bolt receiver acknowledge an Events API event only once its listeners are done
 * (the message is stored first), and anything no listener acknowledged as soon as Bolt has
 * dispatched it. Clicks and commands are untouched. Wraps `app.processEvent`, so HTTP and
 * Socket Mode behave alike; why and what it relies on: docs/development.md, "Acking Slack
 * events after their listeners" and "Upgrading Bolt".
 */
export function ackAfterListeners<R extends Receiver>(receiver: R, metrics: Metrics): R {
  const init = receiver.init.bind(receiver);
  receiver.init = (app: App) => init(withAckAfterListeners(app, metrics));
  return receiver;
}

/** The app as the receiver sees it: the same app, with processEvent deciding when to ack. */
function withAckAfterListeners(app: App, metrics: Metrics): App {
  const processEvent = async (event: ReceiverEvent): Promise<void> => {
    const arrived = Date.now();
    let acked = false;
    const send = async (response: unknown) => {
      await event.ack(response);
      metrics.ackObserved({ platform: 'slack', kind: ackKindOf(event.body), ms: Date.now() - arrived });
    };
    const ack: AckFn<unknown> = async (response) => {
      acked = true;
      await send(response);
    };
    const held: AckFn<unknown> = async () => undefined;
    await app.processEvent({ ...event, ack: isEventsApi(event.body) ? held : ack });
    if (!acked) await send(undefined);
  };
  return Object.assign(Object.create(app) as App, { processEvent });
}

/**
 * An Events API delivery whose ack Bolt sends by itself. `function_executed` events are the
 * exception: their listeners get `ack` and call it themselves.
 */
function isEventsApi(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { type, event } = body as { type?: unknown; event?: { type?: unknown } | null };
  return type === 'event_callback' && (typeof event !== 'object' || event === null || event.type !== 'function_executed');
}

/** Events API deliveries are events, slash commands carry `command`; the rest (clicks, form submissions) are actions. */
function ackKindOf(body: unknown): AckKind {
  const { type, command } = (typeof body === 'object' && body !== null ? body : {}) as { type?: unknown; command?: unknown };
  if (type === 'event_callback') return 'event';
  return typeof command === 'string' ? 'command' : 'action';
}
