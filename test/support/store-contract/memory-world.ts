import { createMemoryStores, storesOver } from '../memory-stores';
import type { StoreWorldSpec } from './store-world';

/** The memory stores as the contract sees them: one database, its clock moved by `elapse`. */
export const memoryWorld: StoreWorldSpec = {
  name: 'memory',
  async open() {
    const stores = createMemoryStores();
    return {
      stores,
      // Over one database, as every process of a deployment shares one Postgres.
      others: async (count) => Array.from({ length: count }, () => storesOver(stores.db)),
      now: () => stores.clock.now(),
      elapse: async (ms) => stores.clock.advance(ms),
      close: async () => undefined,
    };
  },
};
