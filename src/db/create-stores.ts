import type { EntityManager } from '@mikro-orm/postgresql';
import type { HotSql } from './hot-sql';
import { BudgetRepository } from './repositories/budget-repository';
import { ReminderRepository } from './repositories/reminder-repository';
import { AssistantThreadRepository } from './repositories/assistant-thread-repository';
import { ConfirmationRepository } from './repositories/confirmation-repository';
import { ContextRepository } from './repositories/context-repository';
import { FeedbackRepository } from './repositories/feedback-repository';
import { MessageRepository } from './repositories/message-repository';
import { PolicyRuleRepository } from './repositories/policy-rule-repository';
import { RequestRepository } from './repositories/request-repository';
import { RunRepository } from './repositories/run-repository';
import { ScheduleRepository } from './repositories/schedule-repository';

/**
 * The Postgres stores, the one place they are built: each method forks `em` for its unit of
 * work, and sends its hot statements (docs/development.md) through `sql`.
 */
export function createStores(em: EntityManager, sql: HotSql) {
  return {
    messages: new MessageRepository(em, sql),
    requests: new RequestRepository(em, sql),
    runs: new RunRepository(em, sql),
    contexts: new ContextRepository(em),
    confirmations: new ConfirmationRepository(em),
    assistantThreads: new AssistantThreadRepository(em, sql),
    feedback: new FeedbackRepository(em),
    schedules: new ScheduleRepository(em),
    budgets: new BudgetRepository(em, sql.changes),
    reminders: new ReminderRepository(em),
    policyRules: new PolicyRuleRepository(em, sql.changes),
  };
}

/** Every store the core needs, under the names CoreDeps gives them, over Postgres. */
export type Stores = ReturnType<typeof createStores>;
