import { buildCoreOver, type CoreOptions, type Harness } from './core-over-stores';
import { createMemoryStores, type MemoryStores, type TestClock } from './memory-stores';

/** A core over the memory stores, and the clock it and its stores share. */
export interface MemoryHarness extends Harness {
  readonly stores: MemoryStores;
  readonly clock: TestClock;
}

/**
 * The real core over the memory stores: for the middle layer's behaviour (steps, budgets,
 * leases, sweeps) in milliseconds, with time moved by hand. Give two cores the same `stores`
 * to play two processes sharing one database. What only Postgres can show (real SQL, racing
 * connections) stays with core-harness.ts.
 */
export function buildMemoryCore(options: Omit<CoreOptions, 'clock'> & { stores?: MemoryStores }): MemoryHarness {
  const stores = options.stores ?? createMemoryStores();
  return { ...buildCoreOver(stores, { ...options, clock: stores.clock }), stores, clock: stores.clock };
}
