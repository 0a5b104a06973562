/** The prefix that turns a chat message into a command, e.g. `!run countdown {"steps":3}`. */
export const COMMAND_PREFIX = '!';

/** Splits `!name args` (or `/name args` from the console) into its parts; null when it is not a command. */
export function parseCommandText(text: string, prefixes: readonly string[] = [COMMAND_PREFIX]): { name: string; args: string } | null {
  const trimmed = text.trim();
  const prefix = prefixes.find((p) => trimmed.startsWith(p));
  if (!prefix) return null;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed.slice(prefix.length));
  if (!match || !/^[a-z][a-z0-9_-]*$/i.test(match[1]!)) return null;
  return { name: match[1]!.toLowerCase(), args: match[2]!.trim() };
}
