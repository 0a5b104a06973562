import { Client } from 'pg';

/** After a dropped connection, how long before listening again (and again, until it works). */
const RECONNECT_MS = 1_000;

/** What a listener hears: each payload sent on its channel, and that some may have been missed. */
export interface ChangeHandlers {
  readonly heard: (payload: string) => void;
  /** The connection dropped, and again once it listens anew: anything sent in between was missed. */
  readonly lost: () => void;
}

/**
 * Postgres LISTEN on one connection of its own, for the caches every process keeps of rarely
 * changed rows (policy rules, channels' budgets): a writer sends NOTIFY in its transaction and
 * every process hears it once that commits. A dropped connection is told to every listener as
 * `lost`, opened again every {@link RECONNECT_MS} until it listens, and told again then.
 */
export class ChangeFeed {
  private client: Promise<Client> | null = null;
  /** The connection being opened or open, to tell its loss from an older one's. */
  private current: Client | null = null;
  private readonly handlers = new Map<string, Set<ChangeHandlers>>();
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly url: string) {}

  /** Calls `handlers` on each NOTIFY on `channel` (a fixed identifier of ours) and on each loss; listened to from the next ready(). */
  on(channel: string, handlers: ChangeHandlers): void {
    const known = this.handlers.get(channel);
    if (known) return void known.add(handlers);
    this.handlers.set(channel, new Set([handlers]));
    if (this.client) this.client = this.client.then(async (c) => (await c.query(`listen ${channel}`), c));
  }

  /** Resolves once every channel registered is listened to on a live connection; rejects when connecting fails. */
  async ready(): Promise<void> {
    if (this.closed || this.handlers.size === 0) return;
    this.client ??= this.connect();
    try {
      await this.client;
    } catch (error) {
      this.client = null;
      throw error;
    }
  }

  /** Stops listening; later calls do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) await client.then((c) => c.end()).catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    const lost = () => this.lost(client);
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => this.tell(message.channel, (h) => h.heard(message.payload ?? '')));
    this.current = client;
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
    } catch (error) {
      this.current = null;
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private lost(client: Client): void {
    void client.end().catch(() => undefined);
    if (this.closed || this.current !== client) return;
    this.current = null;
    this.client = null;
    this.tellAllLost();
    this.reconnect();
  }

  private reconnect(): void {
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.closed) return;
      this.ready().then(
        () => this.tellAllLost(),
        () => this.reconnect(),
      );
    }, RECONNECT_MS);
    this.retry.unref();
  }

  private tellAllLost(): void {
    for (const channel of this.handlers.keys()) this.tell(channel, (h) => h.lost());
  }

  private tell(channel: string, what: (handlers: ChangeHandlers) => void): void {
    for (const handlers of this.handlers.get(channel) ?? []) what(handlers);
  }
}
