import { z } from 'zod';
import { RUN_STATUSES } from './agent-run';
import { attachmentSchema } from './attachment';
import type { Person, ThreadRef } from './conversation';

export const MESSAGE_TYPES = ['text', 'agent_request', 'agent_progress', 'agent_result'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
/** Who wrote a message: a person, or the bot. */
export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/**
 * Where an answer to a person's message stands: `pending` until answered, `skipped` when too
 * old to answer after a crash, `stopped` when a person stopped it before it was answered.
 */
export const TURN_STATES = ['pending', 'answered', 'skipped', 'stopped'] as const;
export type TurnState = (typeof TURN_STATES)[number];

const usage = z.object({ promptTokens: z.number().int().min(0), completionTokens: z.number().int().min(0), totalTokens: z.number().int().min(0) });

/**
 * The metadata each message type carries; stored as JSONB and validated on every write.
 * Runs, requests and calls keep their state in their own tables: these rows are the log of
 * what was said and shown, pointing at them.
 */
export const metadataSchemas = {
  /**
   * A message; `partial` marks a bot answer cut short (the model failed while writing it),
   * `stopped` one a person stopped while it was written; `feedback` one of the model's answers,
   * shown with 👍/👎 (see feedback.ts); `attachments` the files on a person's message (their bytes are not stored).
   */
  text: z
    .object({ partial: z.literal(true).optional(), stopped: z.literal(true).optional(), feedback: z.literal(true).optional(), attachments: z.array(attachmentSchema).optional() })
    .passthrough(),
  /** An approval card. */
  agent_request: z.object({ requestId: z.uuid(), runId: z.uuid() }),
  /**
   * A run's one progress message; its text is the latest view. `stream`: shown as task cards in
   * a stream (then it has no platform id: the run's answer, its result, may be that message).
   */
  agent_progress: z.object({ runId: z.uuid(), stream: z.literal(true).optional() }),
  /** A run's one final message: the model's answer, or how a manual run ended. */
  agent_result: z.object({
    runId: z.uuid(),
    outcome: z.enum(RUN_STATUSES),
    errorCode: z.string().nullable(),
    usage: usage.optional(),
    /** The model's own last word (not how a manual, cancelled or failed run ended): shown with 👍/👎. */
    feedback: z.literal(true).optional(),
  }),
} satisfies Record<MessageType, z.ZodType>;

export type MessageMetadata<T extends MessageType> = z.infer<(typeof metadataSchemas)[T]>;

/** A message as the core sees it once stored. */
export interface StoredMessage {
  readonly id: string;
  readonly where: ThreadRef;
  /** The platform's id for this message; null until an outbound message has been posted. */
  readonly platformMessageId: string | null;
  readonly author: Person;
  readonly role: MessageRole;
  readonly type: MessageType;
  readonly text: string;
  readonly metadata: Record<string, unknown>;
  /** A person's message: its turn's trace id (see trace-id.ts); null for the bot's own. */
  readonly traceId: string | null;
  readonly createdAt: Date;
}

/** What the core hands a message store to append. */
export interface NewMessage<T extends MessageType = MessageType> {
  readonly where: ThreadRef;
  readonly platformMessageId: string | null;
  readonly author: Person;
  readonly role: MessageRole;
  readonly type: T;
  readonly text: string;
  readonly metadata: MessageMetadata<T>;
  /** A person's message: the trace id its turn logs under. */
  readonly traceId?: string;
}
