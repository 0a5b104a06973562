import { PlatformError } from '../../../src/core/errors';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { memoryLogger } from '../../support/core-harness';
import { monotonicClock } from '../../support/monotonic-clock';
import { RecordingPlatform } from '../../support/recording-platform';
import { rows } from '../../support/db-rows';
import { alice, click, editsOf, newThread, propose, runMessages, waitForRun } from './execution-kit';
import { TOOL_RUN_TABLE } from './test-tools';
import { startWorkerApp, type WorkerApp } from './worker-app';

jest.setTimeout(30_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await rows(db.orm, TOOL_RUN_TABLE);
});
afterAll(async () => {
  await db.close();
});

const INTERVAL_MS = 200;

/**
 * The lane's clock, which also stamps each recorded call: the waits below are asserted on the
 * clock the lane reads, so they hold exactly however slow the machine is.
 */
const clock = monotonicClock();
const recordingPlatform = () => new RecordingPlatform('slack', { clock });

/** An app whose progress and per-message edit interval is INTERVAL_MS, running one request to its end. */
async function runOnce(platform: RecordingPlatform, args: object, prepare: () => void = () => undefined) {
  const logs = memoryLogger();
  const app: WorkerApp = await startWorkerApp({
    url: db.url,
    platform,
    clock,
    log: logs.log,
    settings: { progressIntervalMs: INTERVAL_MS, outbound: { perSecond: 1000, burst: 1000, editIntervalMs: INTERVAL_MS, retryBaseMs: 50 } },
  });
  try {
    const where = newThread();
    const gate = await propose(app.core, where, alice, 'safe_steps', args, () => platform.calls);
    prepare();
    await click(app.core, where, alice, 'approve', gate);
    await waitForRun(db.orm, gate, ['succeeded', 'failed'], 15_000);
    // The run's end is stored; telling it (last progress edit, result post) goes on in the background.
    await app.core.idle();
    const progress = platform.posts().find((p) => p.message.text.startsWith('Working'))!;
    return { gate, progress, edits: editsOf(platform.calls, progress.messageId), logs: logs.lines };
  } finally {
    await app.stop();
  }
}

describe('the outbound rate budget', () => {
  it('coalesces 100 quick steps into a bounded number of progress edits and lands the final state', async () => {
    const platform = recordingPlatform();
    const { gate, progress, edits } = await runOnce(platform, { steps: 100, delayMs: 5 });

    const runMs = edits.at(-1)!.at - progress.at;
    expect(edits.length).toBeLessThanOrEqual(Math.floor(runMs / INTERVAL_MS) + 2);
    for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(INTERVAL_MS);
    const final = edits.at(-1)!.message.text;
    expect(final).toMatch(/^Run finished\n✅ `safe_steps` \{"steps":100,"delayMs":5\} · [\d.]+ m?s\n/);
    expect(final).toContain('   ↳ step 100 ✓\n   → safe_steps took 100 steps');
    const stored = (await runMessages(db.orm, gate)).find((m) => m.message_type === 'agent_progress')!;
    expect(stored.text).toBe(final);
  });

  it("honours a 429's retry-after on a progress edit: the channel waits, then the final state lands", async () => {
    const platform = recordingPlatform();
    const limited = new PlatformError('rate_limited', 'chat.update is rate limited', { retryAfterMs: 700, method: 'chat.update' });
    const { edits, logs } = await runOnce(platform, { steps: 8, delayMs: 60 }, () =>
      platform.failNext('update', limited, (m) => m.text.startsWith('Working') && m.text.includes('step')),
    );

    const refusedAt = platform.failed[0]!.at;
    const channel = edits[0]!.posted.where.channel;
    const after = platform.calls.filter((c) => c.at > refusedAt && (c.kind === 'update' ? c.posted.where : c.where).channel === channel);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after.map((c) => c.at)) - refusedAt).toBeGreaterThanOrEqual(700);
    expect(edits.at(-1)!.message.text).toMatch(/^Run finished[\s\S]*↳ step 8 ✓/);
    expect(platform.posts().at(-1)!.message.text).toMatch(/^✅ Done/);
    expect(logs().find((l) => l.msg === 'platform call failed; retrying')).toMatchObject({ rateLimited: true, retryInMs: 700, kind: 'update' });
  });

  it('logs and retries a failed call (Slack ok:false) until it goes through', async () => {
    const platform = recordingPlatform();
    const okFalse = new PlatformError('slack_error', 'chat.postMessage answered ok:false (internal_error)', { method: 'chat.postMessage' });
    const { gate, logs } = await runOnce(platform, { steps: 1 }, () => {
      platform.failNext('post', okFalse, (m) => m.text.startsWith('✅ Done'));
      platform.failNext('post', okFalse, (m) => m.text.startsWith('✅ Done'));
    });

    expect(platform.failed).toHaveLength(2);
    expect(platform.posts().filter((p) => p.message.text.startsWith('✅ Done'))).toHaveLength(1);
    const result = (await runMessages(db.orm, gate)).find((m) => m.message_type === 'agent_result')!;
    expect(result.platform_message_id).toBe(platform.posts().at(-1)!.messageId);
    const retries = logs().filter((l) => l.msg === 'platform call failed; retrying');
    expect(retries.map((l) => [l.kind, (l.err as { code: string }).code])).toEqual([
      ['post', 'slack_error'],
      ['post', 'slack_error'],
    ]);
  });

  it('gives up at once on a call the platform says cannot succeed, and logs it as an error', async () => {
    const platform = recordingPlatform();
    const gone = new PlatformError('channel_not_found', 'chat.postMessage: channel_not_found', { retryable: false });
    const { gate, logs } = await runOnce(platform, { steps: 1 }, () => platform.failNext('post', gone, (m) => m.text.startsWith('✅ Done')));

    expect(platform.failed).toHaveLength(1);
    expect(platform.posts().some((p) => p.message.text.startsWith('✅ Done'))).toBe(false);
    const result = (await runMessages(db.orm, gate)).find((m) => m.message_type === 'agent_result')!;
    expect(result.platform_message_id).toBeNull();
    expect(logs().filter((l) => l.level === 50).map((l) => l.msg)).toEqual(['platform call failed; giving up', 'could not post the result']);
  });
});
