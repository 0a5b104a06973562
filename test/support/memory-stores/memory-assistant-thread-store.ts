import type { ThreadRef } from '../../../src/core/model/conversation';
import type { ViewedChannel } from '../../../src/core/model/viewed-channel';
import type { AssistantThreadFirst, AssistantThreadStore } from '../../../src/core/ports/stores';
import { threadKey, type AssistantThreadRow, type MemoryDatabase } from './memory-database';

/** Assistant threads in memory, one row per thread, created by whichever write comes first. */
export class MemoryAssistantThreadStore implements AssistantThreadStore {
  constructor(private readonly db: MemoryDatabase) {}

  async noteViewedChannel(thread: ThreadRef, viewed: ViewedChannel | null, at: Date): Promise<void> {
    const row = this.row(thread);
    // A report older than the one stored (a late redelivery) changes nothing.
    if (row.viewedAt !== null && row.viewedAt.getTime() > at.getTime()) return;
    row.viewed = viewed && { ...viewed };
    row.viewedAt = new Date(at);
  }

  async claimOnce(thread: ThreadRef, what: AssistantThreadFirst): Promise<boolean> {
    const row = this.row(thread);
    if (row[what]) return false;
    row[what] = true;
    return true;
  }

  private row(thread: ThreadRef): AssistantThreadRow {
    const key = threadKey(thread);
    let row = this.db.assistantThreads.get(key);
    if (!row) this.db.assistantThreads.set(key, (row = { viewed: null, viewedAt: null, greeting: false, title: false }));
    return row;
  }
}
