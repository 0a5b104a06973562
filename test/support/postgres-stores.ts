import type { EntityManager } from '@mikro-orm/postgresql';
import { AssistantThreadRepository } from '../../src/db/repositories/assistant-thread-repository';
import { ConfirmationRepository } from '../../src/db/repositories/confirmation-repository';
import { ContextRepository } from '../../src/db/repositories/context-repository';
import { FeedbackRepository } from '../../src/db/repositories/feedback-repository';
import { MessageRepository } from '../../src/db/repositories/message-repository';
import { RequestRepository } from '../../src/db/repositories/request-repository';
import { RunRepository } from '../../src/db/repositories/run-repository';
import type { Stores } from './memory-stores';

/** The seven Postgres repositories over one EntityManager, as the app builds them. */
export function postgresStores(em: EntityManager): Stores {
  return {
    messages: new MessageRepository(em),
    runs: new RunRepository(em),
    requests: new RequestRepository(em),
    contexts: new ContextRepository(em),
    confirmations: new ConfirmationRepository(em),
    assistantThreads: new AssistantThreadRepository(em),
    feedback: new FeedbackRepository(em),
  };
}
