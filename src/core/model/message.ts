import { z } from 'zod';
import type { Person, ThreadRef } from './conversation';

export const MESSAGE_TYPES = ['text', 'agent_request', 'agent_progress', 'agent_result'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type MessageRole = 'user' | 'assistant';

export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'denied',
  'expired',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

const person = z.object({ id: z.string().min(1), name: z.string() });

/** One action the agent wants to run: a tool, its arguments, and why. */
export const plannedActionSchema = z.object({
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()),
  reason: z.string(),
});
export type PlannedAction = z.infer<typeof plannedActionSchema>;

export const STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const progressStepSchema = z.object({
  label: z.string(),
  status: z.enum(STEP_STATUSES),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
});
export type ProgressStep = z.infer<typeof progressStepSchema>;

export const OUTCOMES = ['succeeded', 'failed', 'cancelled', 'expired', 'denied'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const ACTION_OUTCOMES = ['succeeded', 'failed', 'timed_out', 'cancelled', 'skipped', 'interrupted'] as const;

/** The audit record of one approved action in a run: what ran, with which args, when, and how it ended. */
export const actionRecordSchema = z.object({
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  outcome: z.enum(ACTION_OUTCOMES),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
});
export type ActionRecord = z.infer<typeof actionRecordSchema>;

/** The metadata each message type carries; stored as JSONB and validated on every write. */
export const metadataSchemas = {
  text: z.object({}).passthrough(),
  agent_request: z.object({
    summary: z.string().min(1),
    actions: z.array(plannedActionSchema).min(1),
    destructive: z.boolean(),
    status: z.enum(REQUEST_STATUSES),
    requestedBy: person,
    decidedBy: person.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime(),
    cancelledBy: person.nullable().optional(),
    cancelledAt: z.iso.datetime().nullable().optional(),
  }),
  agent_progress: z.object({
    requestId: z.uuid(),
    steps: z.array(progressStepSchema),
  }),
  agent_result: z.object({
    requestId: z.uuid(),
    outcome: z.enum(OUTCOMES),
    output: z.string(),
    error: z.string().nullable(),
    /** Machine-readable cause of a failure, e.g. `interrupted`, `plan_changed`, `action_timeout`. */
    errorCode: z.string().nullable().optional(),
    /** Which run attempt ended the request (a crash recovery makes it 2 or more). */
    attempt: z.number().int().positive().optional(),
    startedAt: z.iso.datetime().nullable().optional(),
    endedAt: z.iso.datetime().nullable().optional(),
    /** Who stopped the run, for a cancelled one. */
    cancelledBy: person.nullable().optional(),
    actions: z.array(actionRecordSchema).optional(),
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
}
