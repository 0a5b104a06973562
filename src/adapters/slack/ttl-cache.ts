/** One remembered load; `loaded` once it has succeeded. */
interface Entry<V> {
  readonly value: Promise<V>;
  readonly until: number;
  loaded?: { readonly value: V };
}

/**
 * Remembers answers for `ttlMs`, sharing one load between concurrent callers. A failed
 * load is forgotten at once, so the next caller tries again. Holds at most `maxEntries`,
 * dropping the oldest first.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const value = load();
    const entry: Entry<V> = { value, until: this.now() + this.ttlMs };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    value.then(
      (loaded) => (entry.loaded = { value: loaded }),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  /** The answer for `key` when one is loaded and still fresh; never starts a load. */
  peek(key: K): V | undefined {
    const hit = this.entries.get(key);
    return hit && hit.until > this.now() ? hit.loaded?.value : undefined;
  }
}
