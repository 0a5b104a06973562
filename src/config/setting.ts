import type { z } from 'zod';
import { ConfigError } from '../core/errors';

/** The environment as read: variable names to raw values. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What a setting says besides its name and parser. */
export interface SettingOptions {
  /** One line for .env.example and the README's table: what the variable does. */
  readonly doc: string;
  /** The value used when the variable is unset or empty, written as in .env. Default: none (the parser sees undefined). */
  readonly default?: string;
  /** Set by a library rather than an operator (discord.js's shard variables): kept out of the docs. Default false. */
  readonly internal?: boolean;
}

/** One environment variable: its name, its parser, its default and its line of docs, declared once. */
export class Setting<T> {
  readonly doc: string;
  readonly default: string | undefined;
  readonly internal: boolean;

  constructor(
    readonly variable: string,
    private readonly parser: z.ZodType<T>,
    options: SettingOptions,
  ) {
    this.doc = options.doc;
    this.default = options.default;
    this.internal = options.internal ?? false;
  }

  /**
   * The value from `env`; an empty value counts as unset, as most tools treat it.
   * @throws ConfigError with a one-line message naming the variable.
   */
  read(env: Env): T {
    const raw = env[this.variable];
    const parsed = this.parser.safeParse(raw === undefined || raw === '' ? this.default : raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
    throw new ConfigError('invalid_variable', `${this.variable}: ${message}`, { variable: this.variable });
  }
}

/** Declares the variable `variable`, read with `parser` (which gets the raw string, or undefined when unset without a default). */
export function setting<T>(variable: string, parser: z.ZodType<T>, options: SettingOptions): Setting<T> {
  return new Setting(variable, parser, options);
}

/** Settings by the Config key each fills, nested where the Config groups them. */
export interface Section {
  readonly [key: string]: Setting<unknown> | Section;
}

/** The values a section's settings read to, typed by their parsers. */
export type SectionValue<S extends Section> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : S[K] extends Section ? SectionValue<S[K]> : never;
};

/**
 * Reads every setting of `section` from `env`, in the order declared.
 * @throws ConfigError naming the first variable that does not parse.
 */
export function readSection<S extends Section>(section: S, env: Env): SectionValue<S> {
  const entries = Object.entries(section).map(([key, item]) => [key, item instanceof Setting ? item.read(env) : readSection(item, env)]);
  return Object.fromEntries(entries) as SectionValue<S>;
}

/** Every setting of `section`, nested ones included, in the order declared. */
export function settingsOf(section: Section): Setting<unknown>[] {
  return Object.values(section).flatMap((item) => (item instanceof Setting ? [item] : settingsOf(item)));
}
