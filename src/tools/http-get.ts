import { z } from 'zod';
import { fetchCapped } from '../net/fetch-capped';
import { defineTool } from './define-tool';

/** Ports a bare `host` entry of the allow-list opens: plain and TLS web traffic only. */
const DEFAULT_PORTS = [80, 443];

/** Options for {@link httpGetTool}; from HTTP_ALLOWED_HOSTS and HTTP_GET_MAX_BYTES. */
export interface HttpGetOptions {
  /** `host` (ports 80 and 443) or `host:port` entries, lower case. */
  readonly allowedHosts: readonly string[];
  /** The most body bytes read; default 1 MiB. */
  readonly maxBytes?: number;
}

/** Whether the allow-list names this URL's host and port: `host:port` exactly, or `host` for 80 and 443. */
export function isAllowedUrl(url: URL, allowedHosts: readonly string[]): boolean {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return allowedHosts.includes(`${url.hostname}:${port}`) || (allowedHosts.includes(url.hostname) && DEFAULT_PORTS.includes(port));
}

/**
 * GET a URL whose host and port are on `HTTP_ALLOWED_HOSTS`. Read-only; the allow-list keeps
 * the agent from reaching internal services nobody approved (a Postgres or an admin port on
 * an allowed host included), and a URL off the list is refused before any card is shown.
 * The body is streamed and cut at `maxBytes`, so a huge or endless answer costs at most that
 * much memory; redirects are not followed (they could lead off the list).
 */
export function httpGetTool({ allowedHosts, maxBytes = 1_048_576 }: HttpGetOptions) {
  return defineTool({
    name: 'http_get',
    description: `Fetches a URL with HTTP GET and returns the status and the body (at most ${maxBytes} bytes). Allowed hosts: ${
      allowedHosts.join(', ') || '(none configured)'
    }; a host without a port means ports 80 and 443 only.`,
    input: z.object({
      url: z
        .url()
        .refine((u) => /^https?:/.test(u), 'only http and https URLs')
        .refine((u) => isAllowedUrl(new URL(u), allowedHosts), 'that host and port are not on HTTP_ALLOWED_HOSTS'),
    }),
    readOnly: true,
    idempotent: true,
    preview: ({ url }) => `reads ${url}`,
    // Redirects are not followed: the URL asked for is the one read.
    sources: ({ url }) => [{ url, text: url }],
    async execute({ url }, ctx) {
      const step = ctx.step(`GET ${url}`);
      const body = await fetchCapped(url, { maxBytes, signal: ctx.signal });
      step.done();
      const note = body.cut ? `\n… (cut: the body is longer than ${maxBytes} bytes; only the first ${maxBytes} were read)` : '';
      return { text: `HTTP ${body.status}\n${new TextDecoder().decode(body.bytes)}${note}` };
    },
  });
}
