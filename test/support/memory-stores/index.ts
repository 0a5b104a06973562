import type { CoreDeps } from '../../../src/core/core-deps';
import { MemoryDatabase } from './memory-database';
import { MemoryAssistantThreadStore } from './memory-assistant-thread-store';
import { MemoryConfirmationStore } from './memory-confirmation-store';
import { MemoryContextStore } from './memory-context-store';
import { MemoryFeedbackStore } from './memory-feedback-store';
import { MemoryMessageStore } from './memory-message-store';
import { MemoryRequestStore } from './memory-request-store';
import { MemoryRunStore } from './memory-run-store';
import { MemoryScheduleStore } from './memory-schedule-store';
import { MemoryBudgetStore } from './memory-budget-store';
import { MemoryReminderStore } from './memory-reminder-store';
import { MemoryPolicyRuleStore } from './memory-policy-rule-store';
import { TestClock } from './test-clock';

export { TestClock } from './test-clock';
export { MemoryDatabase } from './memory-database';

/** The store ports, as CoreDeps names them. */
export type Stores = Pick<CoreDeps, 'messages' | 'runs' | 'requests' | 'contexts' | 'confirmations' | 'assistantThreads' | 'feedback' | 'schedules' | 'budgets' | 'reminders' | 'policyRules'>;

/** The memory stores over one shared database, and the clock its `now()` reads. */
export interface MemoryStores extends Stores {
  readonly db: MemoryDatabase;
  readonly clock: TestClock;
}

/**
 * Every store port over one in-memory database, so what crosses stores holds as in Postgres
 * (deciding a request readies its calls and wakes its run; ending a run stores its result).
 * Give the same `clock` to the core, so that its times and the stores' agree. Default: a new TestClock.
 */
export function createMemoryStores(options: { clock?: TestClock } = {}): MemoryStores {
  const clock = options.clock ?? new TestClock();
  const db = new MemoryDatabase(clock);
  return { db, clock, ...storesOver(db) };
}

/** A second set of stores over the same database: what another process sharing it would have. */
export function storesOver(db: MemoryDatabase): Stores {
  return {
    messages: new MemoryMessageStore(db),
    runs: new MemoryRunStore(db),
    requests: new MemoryRequestStore(db),
    contexts: new MemoryContextStore(db),
    confirmations: new MemoryConfirmationStore(db),
    assistantThreads: new MemoryAssistantThreadStore(db),
    feedback: new MemoryFeedbackStore(db),
    schedules: new MemoryScheduleStore(db),
    budgets: new MemoryBudgetStore(db),
    reminders: new MemoryReminderStore(db),
    policyRules: new MemoryPolicyRuleStore(db),
  };
}
