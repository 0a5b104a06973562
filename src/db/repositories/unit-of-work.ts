import type { EntityManager } from '@mikro-orm/postgresql';
import { asStoreError, unreachableThroughOrm } from '../store-errors';

/**
 * Runs `work` on a fork of `em`: one unit of work with an identity map of its own, so that
 * nothing one store call loads leaks into the next. A database that does not answer fails as
 * StoreUnavailableError, as a hot statement does.
 */
export async function inFork<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await work(em.fork());
  } catch (error) {
    throw asStoreError(error, unreachableThroughOrm);
  }
}

/** {@link inFork} inside one transaction: the writes of `work` commit together or not at all. */
export function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return inFork(em, (fork) => fork.transactional(work));
}
