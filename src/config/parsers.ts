/**
 * Parsers that turn one raw environment value into a typed one, with messages that say
 * what was expected. A setting's default is given to them as a raw value (src/config/setting.ts),
 * so they see undefined only for a variable that is unset and has none.
 */
import { z } from 'zod';
import { isTimeZone } from '../core/model/cron';

/** `true`/`false`, `1`/`0` or `yes`/`no`. */
export const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An IANA time zone this Node knows (`UTC`, `Europe/Paris`). */
export const timeZone = z.string().refine(isTimeZone, { error: (issue) => `expected an IANA time zone such as UTC or Europe/Paris, got '${String(issue.input)}'` });

/** A whole number from `min` to `max`. */
export const wholeNumber = (min: number, max: number) =>
  z.string().transform((v, ctx) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}, got '${v}'` });
      return z.NEVER;
    }
    return n;
  });

/** A comma-separated list, entries trimmed, empty ones dropped; unset is empty. */
export const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** `host` or `host:port` (an IPv6 address in brackets), lower-cased. */
const HOST_ENTRY = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

/** A comma-separated list of `host` or `host:port` entries, checked one by one. */
export const hostList = list.transform((entries, ctx) =>
  entries.map((raw) => {
    const entry = raw.toLowerCase();
    const port = HOST_ENTRY.exec(entry)?.[3];
    if (!HOST_ENTRY.test(entry) || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
      ctx.addIssue({ code: 'custom', message: `expected host or host:port entries such as api.example.com or 127.0.0.1:8080, got '${raw}'` });
      return z.NEVER;
    }
    return entry;
  }),
);

/** An http(s) URL, or unset. */
export const optionalUrl = z.url({ error: 'expected a URL such as http://127.0.0.1:8080/' }).optional();

/** A token or password, or unset. */
export const optionalSecret = z.string().min(1, { error: 'must not be empty when set' }).optional();

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration such as `15m`, `30s`, `2h` or plain milliseconds, read as milliseconds. */
export const duration = z.string().transform((v, ctx) => {
  const m = DURATION.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 15m, 30s or 5000, got '${v}'` });
    return z.NEVER;
  }
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
});

/** JSON text, or an issue saying it is not. */
export function parseJson(text: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected valid JSON' });
    return z.NEVER;
  }
}
