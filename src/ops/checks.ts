import type { ReadinessCheck } from './readiness';

/** What the database readiness needs (src/db/database.ts). */
export interface DatabaseProbe {
  ping(): Promise<void>;
  pendingMigrations(): Promise<string[]>;
}

/**
 * Postgres answers, and every migration this code knows is applied (a web process started
 * with MIGRATE_ON_START=false waits here for the release phase). Once the migrations are
 * found applied they stay applied for this process's code: they are not asked again.
 */
export function databaseChecks(db: DatabaseProbe): ReadinessCheck[] {
  let migrated = false;
  return [
    { name: 'database', check: () => db.ping().then(() => null) },
    {
      name: 'migrations',
      check: async () => {
        if (migrated) return null;
        const pending = await db.pendingMigrations();
        migrated = pending.length === 0;
        return migrated ? null : `${pending.length} pending`;
      },
    },
  ];
}

/** This process's run workers have started (and not stopped). */
export function jobQueueCheck(queue: { isWorking(): boolean }): ReadinessCheck {
  return { name: 'jobs', check: () => (queue.isWorking() ? null : 'workers not started') };
}

/** A chat platform can reach the bot: Slack's listener or socket, Discord's gateway. */
export function platformCheck(name: string, adapter: { isConnected(): boolean }): ReadinessCheck {
  return { name, check: () => (adapter.isConnected() ? null : 'not connected') };
}
