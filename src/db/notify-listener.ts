import { Client } from 'pg';

/** After a dropped connection, how long before listening again (and again, until it works). */
const RECONNECT_MS = 1_000;

/** What a listener hears: each payload sent on its channel, and that some may have been missed. */
export interface NotifyHandlers {
  readonly heard: (payload: string) => void;
  /** The connection dropped, and again once it listens anew: anything sent in between was missed. */
  readonly lost: () => void;
}

/**
 * One Postgres connection held open for LISTEN on one channel (Postgres NOTIFY delivers a
 * committed change to every listening session). A dropped connection is opened again every
 * {@link RECONNECT_MS} until it listens; `lost` is called on the drop and on the recovery.
 */
export class NotifyListener {
  private client: Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: NotifyHandlers,
  ) {}

  /** Resolves once listening; rejects when the first connection fails. */
  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === this.channel && n.payload !== undefined) this.handlers.heard(n.payload);
    });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    try {
      await client.connect();
      // The channel is our own constant: quoted as an identifier, never a value from outside.
      await client.query(`listen "${this.channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private dropped(client: Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.handlers.lost();
    this.reconnect();
  }

  private reconnect(): void {
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.closed) return;
      this.start().then(
        () => (this.closed ? void this.close() : this.handlers.lost()),
        () => this.reconnect(),
      );
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
