/**
 * The gitleaks rule set, read as data: about 200 published patterns for provider keys and
 * tokens, each with the keywords that must appear before its pattern is tried, an optional
 * minimum entropy for what it captures, and allow-lists of known non-secrets. Refreshed with
 * scripts/import-gitleaks-rules.py; the licence is in LICENSE-gitleaks beside this file.
 */
import data from './gitleaks-rules.json';
import { shannonEntropy } from '../entropy';

interface AllowlistData {
  readonly condition: string;
  readonly regexTarget: string;
  readonly regexes: readonly string[];
  readonly stopwords: readonly string[];
}

interface RuleData {
  readonly id: string;
  readonly regex: string;
  readonly secretGroup?: number;
  readonly entropy?: number;
  readonly keywords: readonly string[];
  readonly allowlists?: readonly AllowlistData[];
}

/** Known non-secrets: a match is dropped when its target matches a regex or the secret holds a stopword. */
class Allowlist {
  private readonly regexes: readonly RegExp[];

  constructor(private readonly data: AllowlistData) {
    this.regexes = data.regexes.map((source) => new RegExp(source));
  }

  allows(found: { secret: string; match: string; line: string }): boolean {
    const target = this.data.regexTarget === 'match' ? found.match : this.data.regexTarget === 'line' ? found.line : found.secret;
    const checks: boolean[] = [];
    if (this.regexes.length) checks.push(this.regexes.some((r) => r.test(target)));
    if (this.data.stopwords.length) {
      const secret = found.secret.toLowerCase();
      checks.push(this.data.stopwords.some((word) => secret.includes(word)));
    }
    return this.data.condition === 'AND' ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
  }
}

class Rule {
  readonly pattern: RegExp;
  readonly allowlists: readonly Allowlist[];

  constructor(readonly data: RuleData) {
    this.pattern = new RegExp(data.regex, 'g');
    this.allowlists = (data.allowlists ?? []).map((a) => new Allowlist(a));
  }

  /** Whether any match in `text` passes the rule's entropy and allow-lists (and the shared one). */
  finds(text: string, shared: Allowlist): boolean {
    for (const match of text.matchAll(this.pattern)) {
      const secret = secretOf(match, this.data.secretGroup);
      if (this.data.entropy !== undefined && shannonEntropy(secret) < this.data.entropy) continue;
      // As gitleaks does: a generic rule's value must hold a digit, or it is most likely a word.
      if (this.data.id.startsWith('generic') && !/\d/.test(secret)) continue;
      const found = { secret, match: match[0], line: lineAt(text, match.index) };
      if (shared.allows(found) || this.allowlists.some((a) => a.allows(found))) continue;
      return true;
    }
    return false;
  }
}

/** The captured secret: the rule's group, else the first group that matched, else the whole match. */
function secretOf(match: RegExpMatchArray, group: number | undefined): string {
  if (group !== undefined) return match[group] ?? '';
  return match.slice(1).find((g) => g !== undefined && g !== '') ?? match[0];
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end < 0 ? text.length : end);
}

let compiled: { rules: readonly Rule[]; shared: Allowlist } | null = null;

/** Compiled on first use: most processes check a fact rarely, and 260 regexes are not free. */
function ruleSet() {
  compiled ??= { rules: (data.rules as readonly RuleData[]).map((r) => new Rule(r)), shared: new Allowlist(data.allowlist) };
  return compiled;
}

/** How many rules the published set holds. */
export function ruleCount(): number {
  return ruleSet().rules.length;
}

/** The id of the first published rule that finds a secret in `text` (e.g. `github-pat`), or null. */
export function matchingRule(text: string): string | null {
  const lower = text.toLowerCase();
  const { rules, shared } = ruleSet();
  for (const rule of rules) {
    if (rule.data.keywords.length && !rule.data.keywords.some((k) => lower.includes(k))) continue;
    if (rule.finds(text, shared)) return rule.data.id;
  }
  return null;
}
