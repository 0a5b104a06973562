/** The part of js-yaml 3 the tests use (the package ships no types; @types/js-yaml would be one more install for one function). */
declare module 'js-yaml' {
  /** Parses YAML without custom types. */
  export function safeLoad(text: string): unknown;
}
