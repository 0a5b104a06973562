import type { ContextFact } from '../model/context-fact';
import type { StoredMessage } from '../model/message';
import type { ModelTurn } from '../ports/language-model';
import type { Tool } from '../ports/tools';
import { formatContextForPrompt } from '../context/context-prompt';

/** Everything the intent prompt is built from; nothing else reaches the model. */
export interface IntentPromptInput {
  readonly history: readonly StoredMessage[];
  readonly context: readonly ContextFact[];
  readonly contextBudgetChars: number;
  readonly tools: readonly Tool[];
}

const INSTRUCTIONS = `You are Switchboard, a team's assistant inside a chat channel.
Decide what the latest user message needs:
- kind "chat": answer in "reply" (concise, plain text). Use this for questions, conversation, and anything no tool can do.
- kind "agent_request": the user wants something done that the tools below can do. Give a one-line "summary", the exact "actions" (tool name, "argsJson" as a JSON object string matching the tool's input schema, and a short "reason"), and "destructive": true if anything could delete, overwrite, spend money or be hard to undo.
A person must approve every agent_request before it runs, so never pretend an action already happened.
Use only the tools listed. Set fields that do not apply to null.`;

/** Builds the messages for the intent call: instructions, tools, this conversation's context, then its recent turns. */
export function buildIntentPrompt(input: IntentPromptInput): ModelTurn[] {
  const system = [INSTRUCTIONS, toolsSection(input.tools), contextSection(input)].filter(Boolean).join('\n\n');
  return [{ role: 'system', content: system }, ...input.history.map(toTurn)];
}

function toolsSection(tools: readonly Tool[]): string {
  if (tools.length === 0) return 'Tools: none are available; answer as chat.';
  const lines = tools.map((t) => {
    const flags = [t.destructive ? 'destructive' : '', t.readOnly ? 'read-only' : ''].filter(Boolean).join(', ');
    return `- ${t.name}${flags ? ` (${flags})` : ''}: ${t.description}\n  input schema: ${JSON.stringify(t.inputJsonSchema)}`;
  });
  return `Tools:\n${lines.join('\n')}`;
}

function contextSection(input: IntentPromptInput): string {
  const text = formatContextForPrompt(input.context, input.contextBudgetChars);
  return text ? `What this team has told you before (context for this conversation):\n${text}` : '';
}

function toTurn(message: StoredMessage): ModelTurn {
  if (message.role === 'assistant') return { role: 'assistant', content: message.text };
  return { role: 'user', content: `${message.author.name}: ${message.text}` };
}
