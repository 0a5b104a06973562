import type { EntityManager } from '@mikro-orm/postgresql';
import type { AssistantThreadStore, ConfirmationStore, ContextStore, FeedbackStore, MessageStore, RequestStore, RunStore } from '../core/ports/stores';
import type { HotSql } from './hot-sql';
import { AssistantThreadRepository } from './repositories/assistant-thread-repository';
import { ConfirmationRepository } from './repositories/confirmation-repository';
import { ContextRepository } from './repositories/context-repository';
import { FeedbackRepository } from './repositories/feedback-repository';
import { MessageRepository } from './repositories/message-repository';
import { RequestRepository } from './repositories/request-repository';
import { RunRepository } from './repositories/run-repository';

/** Every store the core needs, under the names CoreDeps gives them. */
export interface Stores {
  readonly messages: MessageStore;
  readonly requests: RequestStore;
  readonly runs: RunStore;
  readonly contexts: ContextStore;
  readonly confirmations: ConfirmationStore;
  readonly assistantThreads: AssistantThreadStore;
  readonly feedback: FeedbackStore;
}

/**
 * The Postgres stores, the one place they are built: each method forks `em` for its unit of
 * work, and sends its hot statements (docs/development.md) through `sql`.
 */
export function createStores(em: EntityManager, sql: HotSql): Stores {
  return {
    messages: new MessageRepository(em, sql),
    requests: new RequestRepository(em, sql),
    runs: new RunRepository(em, sql),
    contexts: new ContextRepository(em),
    confirmations: new ConfirmationRepository(em),
    assistantThreads: new AssistantThreadRepository(em, sql),
    feedback: new FeedbackRepository(em),
  };
}
