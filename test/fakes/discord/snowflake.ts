/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from it. */
const DISCORD_EPOCH = 1420070400000n;

/**
 * Makes increasing snowflake ids whose embedded timestamp is now, so discord.js's
 * `createdAt` and our ISO `timestamp` fields agree.
 */
export class SnowflakeSource {
  private increment = 0n;
  private lastMs = 0n;

  /** A new snowflake string; never repeats within one source. */
  next(): string {
    let ms = BigInt(Date.now());
    // Keep ids strictly increasing even if the clock stands still or steps back.
    if (ms < this.lastMs) ms = this.lastMs;
    this.lastMs = ms;
    this.increment = (this.increment + 1n) & 0xfffn;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.increment).toString();
  }
}

/** The creation time encoded in a snowflake, as an ISO string (Discord's `timestamp` format). */
export function snowflakeTimestamp(id: string): string {
  try {
    return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
  } catch {
    return new Date().toISOString();
  }
}
