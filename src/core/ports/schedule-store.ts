import type { ConversationRef, Platform } from '../model/conversation';
import type { NewSchedule, Schedule } from '../model/schedule';

/** A workspace on a platform: where a short id is looked up. */
export interface WorkspaceRef {
  readonly platform: Platform;
  readonly workspace: string;
}

/**
 * Schedules and their firings. Which process fires a schedule is decided by one conditional
 * write ({@link advance}), so that however many processes sweep at once each firing happens once.
 */
export interface ScheduleStore {
  /** Stores a new active schedule under a fresh short id (drawing another on the rare clash). */
  create(schedule: NewSchedule): Promise<Schedule>;
  /** The schedule with this short id in this workspace; null when there is none, or it is another workspace's. */
  findByShortId(workspace: WorkspaceRef, shortId: string): Promise<Schedule | null>;
  /** The conversation's schedules, oldest first, at most `limit`. */
  inConversation(conversation: ConversationRef, limit: number): Promise<Schedule[]>;
  /** Pauses the schedule, saying why; it fires no more until resumed. Null when it is gone. */
  pause(id: string, reason: string): Promise<Schedule | null>;
  /** Makes the schedule active again from `nextFireAt`, its failures forgotten. Null when it is gone. */
  resume(id: string, nextFireAt: Date | null): Promise<Schedule | null>;
  /** Deletes the schedule and its firings; false when it was gone already. */
  remove(id: string): Promise<boolean>;
  /** Active schedules on these platforms whose next firing is at or before `now`, earliest first, at most `limit`. */
  due(now: Date, platforms: readonly Platform[], limit: number): Promise<Schedule[]>;
  /**
   * Moves an active schedule's next firing from `from` to `to` and, when `firing` is given,
   * records that firing (the schedule at that time) in the same transaction. True for exactly
   * one caller however many race: the one that moved it (and recorded the firing; it fires it).
   * False when the schedule has moved on, was paused or deleted, or that firing was recorded
   * before (the schedule still moves on: a firing is never recorded twice).
   */
  advance(id: string, from: Date, to: Date | null, firing: Date | null): Promise<boolean>;
  /**
   * How a firing went: a success sets the schedule's failures in a row to 0, a failure adds one.
   * Returns the count after, or null when the schedule is gone.
   */
  recordOutcome(id: string, succeeded: boolean): Promise<number | null>;
}
