/**
 * A task every `intervalMs` and once at start, one run at a time: a tick that finds the task
 * under way joins it, so a slow database never piles runs up. Stopping waits for a run under
 * way, since what it uses (the database) is closed next. The task must not reject.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): Promise<void> {
    this.running ??= this.task().finally(() => (this.running = null));
    return this.running;
  }
}
