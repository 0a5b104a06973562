import type { Stores } from '../memory-stores';

/**
 * The stores under test, and what the contract needs around them that no port offers:
 * stores on other connections (as other processes), and time passing.
 */
export interface StoreWorld {
  readonly stores: Stores;
  /** `count` more sets of the same stores, each as another process would have them (Postgres: its own connection pool). Closed with the world. */
  others(count: number): Promise<Stores[]>;
  /** The time the stores compare against, for the ports that take a `now`. */
  now(): Date;
  /**
   * Lets `ms` pass for these rows, as the stores see time: their leases, claims and ages move
   * `ms` into the past. A memory world moves its clock instead, so that every row ages: tests
   * assert on their own rows only.
   */
  elapse(ms: number, rows: { readonly runs?: readonly string[]; readonly messages?: readonly string[] }): Promise<void>;
  close(): Promise<void>;
}

/** One kind of store the contract runs against. */
export interface StoreWorldSpec {
  readonly name: string;
  open(): Promise<StoreWorld>;
}
