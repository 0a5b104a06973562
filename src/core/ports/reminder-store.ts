import type { ReminderStage } from '../model/agent-request';

/** A reminder a pending request is due to send. */
export interface DueReminder {
  readonly requestId: string;
  readonly stage: ReminderStage;
}

/** When reminders fall due: `first` this long after a request was made, `final` this long before it expires. */
export interface ReminderTimes {
  readonly firstAfterMs: number;
  readonly finalBeforeMs: number;
}

/**
 * The reminders of pending requests. Which process sends one is decided by a unique row per
 * request and stage ({@link claim}), so that however many processes sweep at once each is sent once.
 */
export interface ReminderStore {
  /**
   * Pending, unexpired requests with a reminder due and not yet claimed, oldest first, at most
   * `limit`: `final` once within `finalBeforeMs` of expiry, else `first` once `firstAfterMs` old.
   */
  due(now: Date, times: ReminderTimes, limit: number): Promise<DueReminder[]>;
  /** Records the reminder while its request is still pending; true for exactly one caller however many race. */
  claim(reminder: DueReminder): Promise<boolean>;
}
