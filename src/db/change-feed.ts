import { Client } from 'pg';

/**
 * Postgres LISTEN on one connection of its own, for caches that every process keeps of rarely
 * changed rows: a writer sends NOTIFY in its transaction, every process hears it once that
 * commits. A lost connection is told to every listener as a change (a cache then reads again,
 * and its read calls {@link ready}, which listens again), so nothing is missed silently.
 */
export class ChangeFeed {
  private client: Promise<Client> | null = null;
  /** The connection being opened or open, to tell its loss from an older one's. */
  private current: Client | null = null;
  private readonly listeners = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(private readonly url: string) {}

  /** Calls `listener` on each NOTIFY on `channel` (a fixed identifier of ours), and when the feed is lost. */
  on(channel: string, listener: () => void): void {
    const known = this.listeners.get(channel);
    if (known) return void known.add(listener);
    this.listeners.set(channel, new Set([listener]));
    // A live connection listens to the new channel too; otherwise the next ready() connects.
    if (this.client) this.client = this.client.then(async (c) => (await c.query(`listen ${channel}`), c));
  }

  /** Resolves once every channel registered is listened to on a live connection. */
  async ready(): Promise<void> {
    if (this.closed || this.listeners.size === 0) return;
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
    const client = this.client;
    this.client = null;
    if (client) await client.then((c) => c.end()).catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    const lost = () => this.lost(client);
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => this.tell(message.channel));
    this.current = client;
    await client.connect();
    for (const channel of this.listeners.keys()) await client.query(`listen ${channel}`);
    return client;
  }

  private lost(client: Client): void {
    void client.end().catch(() => undefined);
    if (this.closed || this.current !== client) return;
    this.current = null;
    this.client = null;
    for (const channel of this.listeners.keys()) this.tell(channel);
  }

  private tell(channel: string): void {
    for (const listener of this.listeners.get(channel) ?? []) listener();
  }
}
