import { DebouncedBatches } from '../../../../src/core/context/debounced-batches';

/** Records each run as "key:items" when it starts and when it ends. */
function recorder(runMs = 0) {
  const events: string[] = [];
  const run = async (key: string, items: readonly string[]) => {
    events.push(`start ${key}:${items.join(',')}`);
    if (runMs) await new Promise((r) => setTimeout(r, runMs));
    events.push(`end ${key}:${items.join(',')}`);
  };
  return { events, run };
}

describe('debounced batches', () => {
  it('hands over what arrived within one quiet spell as one batch per key', async () => {
    const { events, run } = recorder();
    const batches = new DebouncedBatches(run, { quietMs: 30, maxItems: 10 });
    batches.add('a', '1');
    batches.add('b', 'x');
    batches.add('a', '2');
    await batches.idle();
    expect(events.filter((e) => e.startsWith('start')).sort()).toEqual(['start a:1,2', 'start b:x']);
  });

  it('hands a batch over at once when it is full', async () => {
    const { events, run } = recorder();
    const batches = new DebouncedBatches(run, { quietMs: 10_000, maxItems: 2 });
    batches.add('a', '1');
    batches.add('a', '2');
    await batches.idle();
    expect(events).toEqual(['start a:1,2', 'end a:1,2']);
  });

  it('never overlaps two runs of one key', async () => {
    const { events, run } = recorder(40);
    const batches = new DebouncedBatches(run, { quietMs: 0, maxItems: 1 });
    batches.add('a', '1');
    batches.add('a', '2');
    await batches.idle();
    expect(events).toEqual(['start a:1', 'end a:1', 'start a:2', 'end a:2']);
  });

  it('keeps going after a run that rejects', async () => {
    const seen: string[] = [];
    const batches = new DebouncedBatches(
      async (_key, items) => {
        seen.push(items.join(','));
        if (items.includes('bad')) throw new Error('boom');
      },
      { quietMs: 0, maxItems: 1 },
    );
    batches.add('a', 'bad');
    batches.add('a', 'good');
    await batches.idle();
    expect(seen).toEqual(['bad', 'good']);
  });

  it('runs open batches at once on flush, without waiting out their quiet spell', async () => {
    const { events, run } = recorder();
    // Longer than the test's timeout: a flush that waited would fail the test.
    const batches = new DebouncedBatches(run, { quietMs: 10 * 60_000, maxItems: 10 });
    batches.add('a', '1');
    await batches.flush();
    expect(events).toEqual(['start a:1', 'end a:1']);
  });
});
