/**
 * The store contract: what every implementation of the store ports (src/core/ports/stores.ts)
 * must do, written once through the ports alone and run against the Postgres repositories
 * and the memory stores, as the adapter contract runs against each adapter. A memory store
 * that passes it may stand in for Postgres in tests of the core; a behaviour only Postgres
 * has (what it does to NUL bytes, cascades) is tested in test/integration/db instead.
 */
import { budgetContract } from './budget-contract';
import { leaseContract } from './lease-contract';
import { messageContract } from './message-contract';
import { policyContract } from './policy-contract';
import { requestContract } from './request-contract';
import { runContract } from './run-contract';
import { scheduleContract } from './schedule-contract';
import { smallStoresContract } from './small-stores-contract';
import { stopContract } from './stop-contract';
import type { StoreWorld, StoreWorldSpec } from './store-world';
import { turnRecoveryContract } from './turn-recovery-contract';

/** Registers the contract's tests for one kind of store. */
export function storeContract(spec: StoreWorldSpec): void {
  describe(`the ${spec.name} stores`, () => {
    let opened: StoreWorld | undefined;
    beforeAll(async () => {
      opened = await spec.open();
    });
    afterAll(() => opened?.close());
    const world = (): StoreWorld => opened!;

    scheduleContract(world);
    budgetContract(world);
    policyContract(world);
    messageContract(world);
    runContract(world);
    leaseContract(world);
    requestContract(world);
    smallStoresContract(world);
    stopContract(world);
    turnRecoveryContract(spec);
  });
}
