/**
 * Spots text that looks like a credential or a private address, so it is never kept as
 * a fact: facts are shown to everyone in the channel and sent to the model on every turn.
 * It errs on the side of refusing; a refused fact costs a retype, a stored token a rotation.
 */

/** What kind of secret a text looked like; safe to log and to show (it never contains the text). */
export type SecretKind =
  | 'private key'
  | 'Slack token'
  | 'GitHub token'
  | 'AWS access key'
  | 'API key'
  | 'JSON web token'
  | 'bearer token'
  | 'password'
  | 'URL with credentials'
  | 'private URL'
  | 'signed URL'
  | 'random-looking string';

/** Well-known token formats, each recognisable by its prefix or shape. */
const KNOWN_FORMATS: readonly (readonly [SecretKind, RegExp])[] = [
  ['private key', /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/],
  ['Slack token', /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/],
  ['Slack token', /\bxapp-\d-[A-Za-z0-9-]{10,}/],
  ['GitHub token', /\bgh[pousr]_[A-Za-z0-9]{30,}/],
  ['GitHub token', /\bgithub_pat_[A-Za-z0-9_]{30,}/],
  ['AWS access key', /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Stripe (sk_live_, rk_test_), Google (AIza).
  ['API key', /\bsk-[A-Za-z0-9_-]{20,}/],
  ['API key', /\b[rs]k_(live|test)_[A-Za-z0-9]{16,}/],
  ['API key', /\bAIza[0-9A-Za-z_-]{35}/],
  ['JSON web token', /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/],
  ['bearer token', /\bbearer\s+[A-Za-z0-9._~+/-]{16,}/i],
  // Incoming webhooks: whoever has the URL can post as the app.
  ['signed URL', /\bhooks\.slack\.com\/(services|workflows|triggers)\/\S+/i],
  ['signed URL', /\bdiscord(app)?\.com\/api\/webhooks\/\d+\/\S+/i],
];

const SECRET_WORD = String.raw`(?:password|passwd|passphrase|pwd|secret|api[_-]?key|access[_-]?key|token)`;
/** `password=hunter2`, `db_passwd: x`, `"apiKey": "..."`, capturing the assigned value. */
const ASSIGNMENT = new RegExp(String.raw`${SECRET_WORD}["']?\s*[:=]\s*["']?([^\s"',;]{3,})`, 'gi');
/** "the password is hunter2", capturing what it is. */
const PASSWORD_IS = /\b(?:password|passwd|passphrase)\s+(?:is|was)\s+["']?([^\s"',;]+)/gi;

/** Query parameters that carry a signature or a credential (S3, GCS, Azure SAS, OAuth). */
const SIGNED_PARAMS =
  /^(x-amz-(signature|credential|security-token)|x-goog-(signature|credential)|signature|sig|token|access_token|id_token|refresh_token|api_key|apikey|key|auth|password|secret|client_secret|code)$/i;

/** Host names that only resolve inside a network: loopback, RFC 1918, link-local, internal TLDs. */
const PRIVATE_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f]*:[^\]]*\])$|\.(local|localhost|internal|intranet|corp|lan|home\.arpa)$/i;

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`]+/gi;

/** Says whether `text` looks like a secret, and which kind; null when it looks harmless. */
export function detectSecret(text: string): SecretKind | null {
  for (const [kind, pattern] of KNOWN_FORMATS) if (pattern.test(text)) return kind;
  if (statesSecret(text, ASSIGNMENT) || statesSecret(text, PASSWORD_IS)) return 'password';
  for (const match of text.matchAll(URL_PATTERN)) {
    const kind = urlSecret(match[0]);
    if (kind) return kind;
  }
  return hasRandomLookingRun(text) ? 'random-looking string' : null;
}

/**
 * A secret word given a value, unless the value reads as prose: a plain lower-case word
 * followed by more words ("token: rotated weekly", "password is stored in Vault").
 */
function statesSecret(text: string, pattern: RegExp): boolean {
  for (const match of text.matchAll(pattern)) {
    const value = match[1]!;
    const after = text.slice(match.index + match[0].length);
    const prose = /^[a-z]+$/.test(value) && /^[\s,;:.]+[a-z]/i.test(after);
    if (!prose) return true;
  }
  return false;
}

function urlSecret(raw: string): SecretKind | null {
  let url: URL;
  try {
    url = new URL(raw.replace(/[.,;:!?)\]]+$/, ''));
  } catch {
    return null;
  }
  if (url.username || url.password) return 'URL with credentials';
  // A single-label host (http://jenkins/) is only reachable inside someone's network.
  if (PRIVATE_HOST.test(url.hostname) || (url.hostname !== '' && !url.hostname.includes('.') && !url.hostname.startsWith('['))) {
    return 'private URL';
  }
  for (const name of url.searchParams.keys()) if (SIGNED_PARAMS.test(name)) return 'signed URL';
  return null;
}

/**
 * A run of 20+ token characters mixing lower case, upper case and digits, with high
 * character entropy: how generated keys look, and how words, slugs, CONSTANT_NAMES,
 * version strings and lower-case hex ids (commit hashes, UUIDs) do not.
 */
function hasRandomLookingRun(text: string): boolean {
  for (const [run] of text.matchAll(/[A-Za-z0-9+/=_-]{20,}/g)) {
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run) || !/\d/.test(run)) continue;
    if (shannonEntropy(run) >= 3.8 && classSwitches(run) >= run.length / 5 && wordLikeShare(run) < 0.55) return true;
  }
  return false;
}

/** Bits per character of the run's own character distribution. */
function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

/** The share of characters inside words (three or more lower-case letters, maybe capitalised): high for identifiers. */
function wordLikeShare(s: string): number {
  const inWords = [...s.matchAll(/[A-Z]?[a-z]{3,}/g)].reduce((sum, [word]) => sum + word.length, 0);
  return inWords / s.length;
}

/**
 * How often consecutive letters and digits change class (lower, upper, digit), ignoring
 * separators: random keys switch on most characters, CamelCase words and paths rarely.
 */
function classSwitches(s: string): number {
  const classes = [...s.replace(/[^A-Za-z0-9]/g, '')].map((ch) => (/[a-z]/.test(ch) ? 0 : /[A-Z]/.test(ch) ? 1 : 2));
  return classes.filter((c, i) => i > 0 && c !== classes[i - 1]).length;
}
