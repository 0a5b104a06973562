/** How the job queue runs; app.ts fills this from Config. */
export interface ExecutionOptions {
  /** The app's own database: pg-boss keeps its tables in the `pgboss` schema there. */
  readonly databaseUrl: string;
  /** Runs this process works on at once. */
  readonly concurrency: number;
  /** Time between sweeps expiring pending requests, shared by all processes. */
  readonly sweepIntervalMs: number;
  /** Time between each process's looks for work a dead process left (lapsed step leases, unanswered turns). Default 5 s. */
  readonly livenessIntervalMs?: number;
  /** Time between each process's looks for due schedules (SCHEDULE_SWEEP_INTERVAL). Default 5 s. */
  readonly scheduleIntervalMs?: number;
  /** How long a step job may run before pg-boss counts it abandoned and delivers it again (a safety net: leases take over sooner). */
  readonly jobExpirySeconds: number;
  /** How often pg-boss fails abandoned jobs so they are delivered again. Default 120 s. */
  readonly maintenanceIntervalSeconds?: number;
  /** How often an idle worker asks for a job (jobs enqueued by this process start at once). Default 2 s. */
  readonly pollingIntervalSeconds?: number;
  /** Deliveries of one job after the first (crashes, database errors). Default 3. */
  readonly retryLimit?: number;
  /** Delay before a failed job is delivered again; it doubles each time. Default 5 s. */
  readonly retryDelaySeconds?: number;
  /** How long stopping waits for runs under way before handing them back to the queue. Default 30 s. */
  readonly stopTimeoutMs?: number;
}
