import { CONTEXT_TYPES, type ContextFact } from '../model/context-fact';

/**
 * Renders a conversation's facts for a prompt: grouped by type, newest first, cut at
 * `budgetChars` so a long memory never crowds out the conversation itself.
 */
export function formatContextForPrompt(facts: readonly ContextFact[], budgetChars: number): string {
  if (facts.length === 0) return '';
  const newestFirst = [...facts].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const kept: ContextFact[] = [];
  let used = 0;
  for (const fact of newestFirst) {
    const line = factLine(fact);
    if (used + line.length + 1 > budgetChars) break;
    kept.push(fact);
    used += line.length + 1;
  }
  return CONTEXT_TYPES.map((type) => {
    const lines = kept.filter((f) => f.type === type).map(factLine);
    return lines.length ? `${type}:\n${lines.join('\n')}` : '';
  })
    .filter(Boolean)
    .join('\n');
}

function factLine(fact: ContextFact): string {
  const value = typeof fact.value === 'string' ? fact.value : JSON.stringify(fact.value);
  return `- ${fact.key}: ${value}`;
}
