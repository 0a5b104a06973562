import { ShardingManager } from 'discord.js';
import type { Logger } from '../../logging/logger';

/** Options of {@link createShardManager}. */
export interface ShardManagerOptions {
  readonly token: string;
  /**
   * How many shards (gateway connections) to run, one process each. `auto` asks Discord
   * for its recommendation at discord.com directly: discord.js ignores DISCORD_API_URL
   * there, so give a number behind a REST proxy (and in tests).
   */
  readonly shards: number | 'auto';
  /** The script each shard process runs: the app's entry point, which starts one client in its shard. */
  readonly entry: string;
  /** Node flags for the shard processes. Default: this process's own (so `tsx` keeps loading TypeScript). */
  readonly execArgv?: readonly string[];
}

/**
 * A discord.js ShardingManager: one process per shard, each running `entry` with the
 * shard ids in its environment (SHARDS, SHARD_COUNT), which discord.js's Client reads by
 * itself. State lives in Postgres, so any shard can handle any click or run.
 * Note: constructing it sets SHARDING_MANAGER, SHARDING_MANAGER_MODE and DISCORD_TOKEN in
 * this process's environment, as discord.js does.
 */
export function createShardManager(options: ShardManagerOptions): ShardingManager {
  return new ShardingManager(options.entry, {
    totalShards: options.shards,
    token: options.token,
    mode: 'process',
    respawn: true,
    execArgv: [...(options.execArgv ?? process.execArgv)],
  });
}

/** Whether this process is a shard that a ShardingManager spawned (discord.js marks it in the environment). */
export function isShardProcess(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.SHARDING_MANAGER === 'true';
}

/** A set of shard processes, spawning or running. */
export interface RunningShards {
  readonly manager: ShardingManager;
  /** Resolves once every shard is ready; rejects when one fails to start. */
  readonly spawned: Promise<void>;
  /** Kills every shard process spawned so far (they stop cleanly on SIGTERM) and respawns none. */
  stop(): void;
}

/**
 * Spawns every shard, 5.5 s apart by default as Discord's identify rate limit asks, and
 * logs their lives. Returns at once, so a signal during the spawn can still stop them.
 */
export function startShards(options: ShardManagerOptions, log: Logger, spawnDelayMs?: number): RunningShards {
  const manager = createShardManager(options);
  manager.on('shardCreate', (shard) => {
    log.info({ shard: shard.id, of: manager.totalShards }, 'discord shard spawned');
    shard.on('death', () => log.warn({ shard: shard.id, respawn: manager.respawn }, 'discord shard process exited'));
  });
  const spawned = manager.spawn(spawnDelayMs === undefined ? {} : { delay: spawnDelayMs }).then(() => undefined);
  return {
    manager,
    spawned,
    stop: () => {
      manager.respawn = false;
      for (const shard of manager.shards.values()) shard.kill();
    },
  };
}
