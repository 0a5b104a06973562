import { WorkLimiter } from '../../../src/core/work-limiter';

const tick = () => new Promise((r) => setImmediate(r));

describe('WorkLimiter', () => {
  it('never runs more than its concurrency and starts waiting work in order of arrival', async () => {
    const limiter = new WorkLimiter(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    let peak = 0;
    const tasks = Array.from({ length: 6 }, (_, i) =>
      limiter.run(async () => {
        started.push(i);
        peak = Math.max(peak, limiter.load.active);
        await new Promise<void>((r) => release.push(r));
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.load).toEqual({ active: 2, queued: 4 });
    while (release.length) {
      release.shift()!();
      await tick();
      await tick();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new WorkLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a concurrency that is not a positive integer, naming it', () => {
    expect(() => new WorkLimiter(0)).toThrow('WorkLimiter concurrency must be a positive integer, got 0');
  });
});
