import { z } from 'zod';
import { defineTool } from './define-tool';
import { ToolError } from '../core/errors';

const MAX_BODY_CHARS = 20_000;

/**
 * GET a URL whose host is on `HTTP_ALLOWED_HOSTS`. Read-only; the allow-list keeps the
 * agent from reaching internal services nobody approved.
 */
export function httpGetTool(allowedHosts: readonly string[]) {
  return defineTool({
    name: 'http_get',
    description: `Fetches a URL with HTTP GET and returns the status and the start of the body. Allowed hosts: ${
      allowedHosts.join(', ') || '(none configured)'
    }.`,
    input: z.object({ url: z.url().refine((u) => /^https?:/.test(u), 'only http and https URLs') }),
    readOnly: true,
    idempotent: true,
    preview: ({ url }) => `reads ${url}`,
    async execute({ url }, ctx) {
      const host = new URL(url).hostname;
      if (!allowedHosts.includes(host)) {
        throw new ToolError('host_not_allowed', `${host} is not in HTTP_ALLOWED_HOSTS`, { host });
      }
      const step = ctx.step(`GET ${url}`);
      const response = await fetch(url, { signal: ctx.signal, redirect: 'manual' });
      const body = (await response.text()).slice(0, MAX_BODY_CHARS);
      step.done();
      return { text: `HTTP ${response.status}\n${body}` };
    },
  });
}
