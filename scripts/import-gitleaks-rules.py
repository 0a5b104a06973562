#!/usr/bin/env python3
"""
Turns a gitleaks rules file (gitleaks.toml, MIT licence, https://github.com/gitleaks/gitleaks)
into src/core/context/secret-rules/gitleaks-rules.json, the data the secret detector reads.

    python3 scripts/import-gitleaks-rules.py path/to/gitleaks.toml "<where it came from>"

Needs Python 3.11+ (tomllib) and nothing else. Go's RE2 syntax becomes JavaScript's: the
case-insensitive and dot-all modifiers (`(?i)`, `(?i:...)`, `(?-i:...)`, `(?s:...)`), which
Node 20's RegExp lacks, are written out as character classes; `\\z` becomes `$` and
`(?P<name>` becomes `(?<name>`. Rules that match file paths only are left out: the detector
reads chat text, not files.
"""
import json
import sys
import tomllib

OUT = 'src/core/context/secret-rules/gitleaks-rules.json'


def both_cases(ch):
    return f'[{ch.lower()}{ch.upper()}]' if ch.isalpha() and ch.isascii() else ch


def convert_class(pattern, i, ci):
    """Copies the character class starting at pattern[i] == '['; returns (text, next index)."""
    out = ['[']
    i += 1
    if pattern[i] == '^':
        out.append('^')
        i += 1
    first = True
    extra = []
    while first or pattern[i] != ']':
        first = False
        ch = pattern[i]
        if ch == '[' and pattern.startswith('[:', i):
            raise ValueError(f'POSIX class in {pattern!r}')
        if ch == '\\':
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == '[':
            out.append('\\[')
            i += 1
            continue
        if ci and ch.isascii() and ch.isalpha():
            if pattern[i + 1] == '-' and pattern[i + 2] != ']':
                lo, hi = ch, pattern[i + 2]
                out.append(f'{lo}-{hi}')
                if lo.isalpha() and hi.isalpha():
                    extra.append(f'{lo.swapcase()}-{hi.swapcase()}')
                i += 3
                continue
            out.append(ch)
            extra.append(ch.swapcase())
            i += 1
            continue
        out.append(ch)
        i += 1
    # The other cases go first: after a trailing `-` they would read as a range.
    head = 2 if out[1:2] == ['^'] else 1
    return ''.join(out[:head]) + ''.join(extra) + ''.join(out[head:]) + ']', i + 1


def convert(pattern):
    """Go RE2 → JavaScript RegExp source with no flags needed."""
    out = []
    # One entry per open group: (case-insensitive, dot matches newline).
    stack = [[False, False]]
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        state = stack[-1]
        if ch == '\\':
            nxt = pattern[i + 1]
            if nxt == 'z':
                out.append('$')
            elif nxt == 'A':
                out.append('^')
            else:
                out.append(pattern[i:i + 2])
            i += 2
        elif ch == '[':
            text, i = convert_class(pattern, i, state[0])
            out.append(text)
        elif pattern.startswith('(?P<', i):
            out.append('(?<')
            stack.append(list(state))
            i += 4
        elif pattern.startswith('(?', i) and pattern[i + 2] not in ':=!<':
            end = next(j for j in range(i + 2, len(pattern)) if pattern[j] in ':)')
            flags, kind = pattern[i + 2:end], pattern[end]
            new = list(state)
            on = True
            for f in flags:
                if f == '-':
                    on = False
                elif f == 'i':
                    new[0] = on
                elif f == 's':
                    new[1] = on
                else:
                    raise ValueError(f'flag {f} in {pattern!r}')
            if kind == ')':
                stack[-1] = new
            else:
                out.append('(?:')
                stack.append(new)
            i = end + 1
        elif ch == '(':
            out.append('(' if not pattern.startswith('(?:', i) else '(?:')
            stack.append(list(state))
            i += 1 if not pattern.startswith('(?:', i) else 3
        elif ch == ')':
            out.append(')')
            stack.pop()
            i += 1
        elif ch == '.':
            out.append('[\\s\\S]' if state[1] else '.')
            i += 1
        elif ch == '{':
            end = pattern.index('}', i)
            out.append(pattern[i:end + 1])
            i = end + 1
        else:
            out.append(both_cases(ch) if state[0] else ch)
            i += 1
    return ''.join(out)


def allowlist(entry):
    return {
        'condition': entry.get('condition', 'OR').upper(),
        'regexTarget': entry.get('regexTarget', 'secret'),
        'regexes': [convert(r) for r in entry.get('regexes', [])],
        'stopwords': [w.lower() for w in entry.get('stopwords', [])],
    }


def main(path, source):
    with open(path, 'rb') as f:
        config = tomllib.load(f)
    rules = []
    for rule in config['rules']:
        if 'regex' not in rule:
            continue
        lists = [allowlist(a) for a in rule.get('allowlists', []) if a.get('regexes') or a.get('stopwords')]
        rules.append({
            'id': rule['id'],
            'regex': convert(rule['regex']),
            **({'secretGroup': rule['secretGroup']} if 'secretGroup' in rule else {}),
            **({'entropy': rule['entropy']} if 'entropy' in rule else {}),
            'keywords': [k.lower() for k in rule.get('keywords', [])],
            **({'allowlists': lists} if lists else {}),
        })
    shared = allowlist(config.get('allowlist', {}))
    data = {'source': source, 'licence': 'MIT, Copyright (c) 2019 Zachary Rice: see LICENSE-gitleaks beside this file', 'allowlist': shared, 'rules': rules}
    with open(OUT, 'w') as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f'{len(rules)} rules written to {OUT}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
