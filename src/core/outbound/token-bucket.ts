/**
 * A token bucket: `capacity` calls at once after a quiet spell, then `perSecond` calls a
 * second. Time is passed in so that the lane decides when to look.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** When the next call may go: `now` if a token is there, otherwise when one will be. */
  readyAt(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? now : now + Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** True once the bucket has refilled completely: it then holds no memory of past calls. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}
