/** What {@link fetchCapped} read: the status, at most `maxBytes` of the body, and whether there was more. */
export interface CappedBody {
  readonly status: number;
  /** The answer's `content-type`, lower-cased, without parameters; empty when it gave none. */
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** True when the body went on past `maxBytes`: the download was aborted there. */
  readonly cut: boolean;
}

/** How {@link fetchCapped} reads. */
export interface CappedFetchOptions {
  /** The most body bytes read; the request is aborted once more arrive. */
  readonly maxBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Stops the request at any point (a cancel, a timeout). */
  readonly signal?: AbortSignal;
}

/**
 * GETs `url` and reads its body as a stream, keeping at most `maxBytes`: a huge or endless
 * body costs that much memory and no more, and the connection is dropped there. Redirects are
 * not followed (they could lead anywhere): a 3xx comes back as its status with no body.
 */
export async function fetchCapped(url: string, { maxBytes, headers, signal }: CappedFetchOptions): Promise<CappedBody> {
  const enough = new AbortController();
  const signals = signal ? [signal, enough.signal] : [enough.signal];
  const response = await fetch(url, { signal: AbortSignal.any(signals), redirect: 'manual', ...(headers && { headers: { ...headers } }) });
  const chunks: Uint8Array[] = [];
  let read = 0;
  let cut = false;
  for await (const chunk of response.body ?? []) {
    const bytes = chunk as Uint8Array;
    const room = maxBytes - read;
    cut = bytes.byteLength > room;
    const kept = cut ? bytes.subarray(0, room) : bytes;
    chunks.push(kept);
    read += kept.byteLength;
    if (cut) break;
  }
  if (cut) enough.abort();
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return { status: response.status, contentType, bytes: Buffer.concat(chunks, read), cut };
}

/**
 * Whether `url` is on one of `origins` (`https://files.slack.com`, `http://127.0.0.1:8080`):
 * the same scheme, host and port, compared as URLs parse them, so `files.slack.com.evil.test`
 * or a `user@` prefix is no match.
 */
export function isOnOrigins(url: string, origins: readonly string[]): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && origins.includes(parsed.origin);
}
