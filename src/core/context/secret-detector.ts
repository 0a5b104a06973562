/**
 * Spots text that looks like a credential or a private address, so it is never kept as a fact
 * (facts reach everyone in the channel and the model). It errs on the side of refusing. Provider
 * formats come from gitleaks (secret-rules/); the chat-only checks are described in
 * docs/development.md, "The secret detector".
 */
import { shannonEntropy } from './entropy';
import { matchingRule } from './secret-rules/rule-set';
import { SECRET_WORD, secretWordsPlain } from './secret-words';

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

/** `password=hunter2`, `db_passwd: x`, `"apiKey": "..."`, capturing the assigned value. */
const ASSIGNMENT = new RegExp(String.raw`${SECRET_WORD}["']?\s*[:=]\s*["']?([^\s"',;]{3,})`, 'gi');
/** "the password is hunter2", "the passphrase's ...", capturing the first word of what it is. */
const PASSWORD_IS = /\b(?:password|passwd|passphrase|passcode)(?:\s+(?:is|was)|'s|’s)\s+["'“]?([^\s"'”,;]+)/gi;

/** Query parameters that carry a signature or a credential (S3, GCS, Azure SAS, OAuth). */
const SIGNED_PARAMS =
  /^(x-amz-(signature|credential|security-token)|x-goog-(signature|credential)|signature|sig|token|access_token|id_token|refresh_token|api_key|apikey|key|auth|password|secret|client_secret|code)$/i;

/** Host names that only resolve inside a network: loopback, RFC 1918, link-local, internal TLDs. */
const PRIVATE_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f]*:[^\]]*\])$|\.(local|localhost|internal|intranet|corp|lan|home\.arpa)$/i;

/** Random-looking but public: SSH key fingerprints and Stripe object ids (customers, invoices, payments...). */
const PUBLIC_IDS = /\bSHA256:[A-Za-z0-9+/]{43}(?![A-Za-z0-9+/])|\b(?:cus|in|pi|ch|sub|prod|price|evt|txn|acct|pm|seti|po|tr|re)_[A-Za-z0-9]{14,}/g;

const WEB_SCHEME = /^(https?|wss?|ftp):$/;

const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`]+/gi;

/** The text is read in windows of this many characters, overlapping by the longest secret looked for, so time grows linearly with length. */
const WINDOW_CHARS = 1024;
const WINDOW_OVERLAP = 256;

/** Says whether `text` looks like a secret, and which kind; null when it looks harmless. */
export function detectSecret(text: string): SecretKind | null {
  for (let start = 0; ; start += WINDOW_CHARS - WINDOW_OVERLAP) {
    const kind = detectIn(text.slice(start, start + WINDOW_CHARS));
    if (kind || start + WINDOW_CHARS >= text.length) return kind;
  }
}

function detectIn(text: string): SecretKind | null {
  return (
    knownFormat(text) ??
    (statesPassword(text) ? 'password' : null) ??
    urlKind(text) ??
    keyFormat(text) ??
    spacedKey(text) ??
    (hasRandomLookingRun(text) ? 'random-looking string' : null)
  );
}

/** A format known by its prefix or shape: ours for chat, then the published rule set. */
function keyFormat(text: string): SecretKind | null {
  const rule = matchingRule(text);
  if (rule) return kindOfRule(rule);
  if (hasLowerCaseAwsKey(text)) return 'AWS access key';
  return hasHexKey(text) ? 'API key' : null;
}

function knownFormat(text: string): SecretKind | null {
  for (const [kind, pattern] of KNOWN_FORMATS) if (pattern.test(text)) return kind;
  return null;
}

function urlKind(text: string): SecretKind | null {
  for (const match of text.matchAll(URL_PATTERN)) {
    const kind = urlSecret(match[0]);
    if (kind) return kind;
  }
  return null;
}

/** The kind a published rule's id names, in the words the refusal uses. */
function kindOfRule(id: string): SecretKind {
  if (id === 'private-key') return 'private key';
  if (id.startsWith('jwt')) return 'JSON web token';
  if (/webhook/.test(id)) return 'signed URL';
  if (id.startsWith('slack-')) return 'Slack token';
  if (id.startsWith('github-')) return 'GitHub token';
  if (id.startsWith('aws-')) return 'AWS access key';
  if (/password/.test(id)) return 'password';
  return 'API key';
}

/** A secret word given a value, the word written plainly or disguised ("p a s s w o r d is ..."). */
function statesPassword(text: string): boolean {
  const says = (t: string) => statesSecret(t, ASSIGNMENT, readsAsProse) || statesSecret(t, PASSWORD_IS, saysWhatItIsLike);
  if (says(text)) return true;
  const plain = secretWordsPlain(text);
  return plain !== text && says(plain);
}

/**
 * A secret word given a value, unless `prose(value, after)` says the value reads as words
 * about the secret rather than the secret itself.
 */
function statesSecret(text: string, pattern: RegExp, prose: (value: string, after: string) => boolean): boolean {
  for (const match of text.matchAll(pattern)) {
    if (!prose(match[1]!, text.slice(match.index + match[0].length))) return true;
  }
  return false;
}

/** `token: rotated weekly`: a plain lower-case word followed by more words. */
function readsAsProse(value: string, after: string): boolean {
  return /^[a-z]+$/.test(value) && /^[\s,;:.]+[a-z]/i.test(after);
}

/** Words that say what a password is like, or where, rather than what it is: "the password is stored in Vault". */
const ABOUT_A_PASSWORD = new Set(
  ('a an the in on at by for from of to with without not never now still also only just too very so no any same different ' +
    'required optional mandatory needed missing empty blank wrong invalid valid correct incorrect weak strong long short ' +
    'secure insecure safe unsafe simple complex good bad fine ok okay unknown known case there here what where how managed ' +
    'kept').split(' '),
);

/**
 * After "the password is": a description, unless what follows is more than the description
 * ("the password is correct horse battery staple" is a passphrase, not a judgement).
 */
function saysWhatItIsLike(value: string, after: string): boolean {
  const word = value.toLowerCase().replace(/[.!?:]+$/, '');
  if (!/^[a-z]+$/.test(word)) return false;
  if (/(ed|en|ing)$/.test(word) && word.length > 4) return true;
  if (!ABOUT_A_PASSWORD.has(word)) return false;
  // "correct" alone is a verdict; "correct horse battery staple" is the password.
  return !(['correct', 'wrong', 'weak', 'strong', 'simple'].includes(word) && /^\s+[a-z]+\s+[a-z]+/i.test(after));
}

/** An AWS access key id typed in lower or mixed case (the rule set knows only upper case); a digit keeps words out. */
function hasLowerCaseAwsKey(text: string): boolean {
  for (const [key] of text.matchAll(/\b(?:a3t[a-z0-9]|akia|asia|abia|acca)[a-z2-7]{16}\b/gi)) if (/[2-7]/.test(key.slice(4))) return true;
  return false;
}

/**
 * 64 or more hex digits: a 256-bit key. A SHA-256 digest looks the same, so one named as a
 * digest, checksum or hash just before is let through; shorter hex (commit ids, UUIDs) always is.
 */
function hasHexKey(text: string): boolean {
  for (const match of text.matchAll(/(?<![0-9a-f])[0-9a-f]{64,}(?![0-9a-f])/gi)) {
    const before = text.slice(Math.max(0, match.index - 24), match.index);
    if (!/(sha-?256|sha-?512|digest|checksum|hash)(\W+(is|was|of))?\W{0,3}$/i.test(before)) return true;
  }
  return false;
}

/** A piece of a key typed in groups ("AKIA IOSF ODNN 7EXA MPLE"): short, with a capital or a digit. */
const KEY_GROUP = /^[A-Za-z0-9_-]{2,12}$/;
/** Groups joined at most: more than any key format needs. */
const MAX_GROUPS = 12;

/**
 * A key written with spaces: runs of three or more key-like groups are joined and checked
 * against the key formats again, from each group on. Lower-case words end a run, so
 * sentences are never joined.
 */
function spacedKey(text: string): SecretKind | null {
  const groups = text.split(/\s+/);
  for (let start = 0; start < groups.length; start++) {
    let end = start;
    while (end < groups.length && end - start < MAX_GROUPS && KEY_GROUP.test(groups[end]!) && /[A-Z0-9]/.test(groups[end]!)) end++;
    if (end - start < 3) continue;
    const joined = groups.slice(start, end).join('');
    const kind = knownFormat(joined) ?? keyFormat(joined) ?? (hasRandomLookingRun(joined) ? 'random-looking string' : null);
    if (kind) return kind;
  }
  return null;
}

function urlSecret(raw: string): SecretKind | null {
  let url: URL;
  try {
    url = new URL(raw.replace(/[.,;:!?)\]]+$/, ''));
  } catch {
    return null;
  }
  if (url.username || url.password) return 'URL with credentials';
  // A single-label web host (http://jenkins/) is only reachable inside someone's network;
  // other schemes name buckets or repositories that way (s3://backups/).
  const singleLabel = WEB_SCHEME.test(url.protocol) && url.hostname !== '' && !url.hostname.includes('.') && !url.hostname.startsWith('[');
  if (PRIVATE_HOST.test(url.hostname) || singleLabel) {
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
  // URLs were judged on their own: their paths mix cases and digits without being keys.
  for (const [run] of text.replace(URL_PATTERN, ' ').replace(PUBLIC_IDS, ' ').matchAll(/[A-Za-z0-9+/=_-]{20,}/g)) {
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run)) continue;
    const entropy = shannonEntropy(run);
    // Without a digit, only a long run of very high entropy counts: a key that happened to draw no digit.
    if (!/\d/.test(run) && (run.length < 30 || entropy < 4.3)) continue;
    if (entropy >= 3.8 && classSwitches(run) >= run.length / 5 && wordLikeShare(run) < 0.55) return true;
  }
  return false;
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
