/**
 * The words that announce a secret ("password", "token", ...), and a way to read them
 * however they were typed: spelled out ("p a s s w o r d", "p-a-s-s-w-o-r-d"), split
 * ("pass word") or with look-alikes ("p@ssw0rd", "t0k3n"). Every step is one pass over the
 * text, so time grows linearly with its length.
 */

/** The words, as a regular expression source to build patterns from. */
export const SECRET_WORD = String.raw`(?:password|passwd|passphrase|passcode|pwd|secret|api[_-]?key|access[_-]?key|token)`;

const SECRET_WORD_INSIDE = new RegExp(SECRET_WORD, 'i');
const SECRET_WORD_EXACTLY = new RegExp(`^${SECRET_WORD}$`, 'i');
const SECRET_WORDS = new RegExp(SECRET_WORD, 'gi');

/** Look-alikes typed for letters: 0/o, 1/i (and l), 3/e, 4/a, 5/s, $/s, @/a, 7/t. */
const LOOK_ALIKES: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', $: 's', '@': 'a', '7': 't' };
const LOOK_ALIKE = /[013457$@]/g;

/** Three or more single characters, each standing alone, joined by short runs of spaces or separators. */
const SPELLED_OUT = /(?<![\p{L}\p{N}@$])[\p{L}\p{N}@$](?:[\s.\-_*·/|]{1,3}[\p{L}\p{N}@$](?![\p{L}\p{N}@$])){2,}/gu;
/** A word, look-alikes included; underscores join words into one name (`db_p@ssw0rd`). */
const WORD = /[\p{L}\p{N}@$_]+/gu;
/** What may split one secret word in two ("pass word", "api-key"): kept, for the parts between words. */
const SPLIT = /([\s.\-_]+)/;
const LEADING_WORD = /^([\p{L}\p{N}@$]+)(.*)$/su;

/** `word` with look-alikes read as the letters they stand for, in lower case. */
function plainLetters(word: string): string {
  return word.toLowerCase().replace(LOOK_ALIKE, (ch) => LOOK_ALIKES[ch]!);
}

/**
 * `text` with every disguised secret word written plainly, the rest (values included) as it
 * was; `text` itself when nothing was disguised. Only a text that spells out, splits or
 * disguises a secret word changes, so the checks run on it see plain words where the author
 * meant them.
 */
export function secretWordsPlain(text: string): string {
  const joined = text.replace(SPELLED_OUT, (run) => {
    const letters = plainLetters(run.replace(/[^\p{L}\p{N}@$]/gu, ''));
    // "a d m i n p a s s w o r d i s" reads "admin password is": the secret word stands apart.
    return SECRET_WORD_INSIDE.test(letters) ? ` ${letters.replace(SECRET_WORDS, ' $& ').trim()} ` : run;
  });
  const undisguised = joined.replace(WORD, (word) => {
    if (!/[013457$@]/.test(word)) return word;
    const plain = plainLetters(word);
    return SECRET_WORD_INSIDE.test(plain) ? plain : word;
  });
  return joinSplitWords(undisguised);
}

/** "pass word" and "api key" as one word, where the two halves make a secret word and the first is none on its own. */
function joinSplitWords(text: string): string {
  const parts = text.split(SPLIT);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const [first, separator, next] = [parts[i]!, parts[i + 1], parts[i + 2]];
    const second = next === undefined ? null : LEADING_WORD.exec(next);
    const word = second ? plainLetters(first + second[1]!) : '';
    if (separator !== undefined && separator.length <= 2 && second && SECRET_WORD_EXACTLY.test(word) && !SECRET_WORD_EXACTLY.test(plainLetters(first))) {
      out.push(word + second[2]!);
      i += 2;
    } else {
      out.push(first);
    }
  }
  return out.join('');
}
