/**
 * The core's chat transcript and tool definitions in Chat Completions' wire format, and the
 * answer (whole, or streamed in chunks) back in the core's terms.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { TokenUsage } from '../core/model/agent-run';
import type { ChatMessage, Completion, ModelToolCall, ToolDefinition } from '../core/ports/language-model';

export function toWireMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content,
          ...(m.toolCalls?.length && { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }),
        };
      case 'user':
        if (!m.images?.length) return { role: 'user', content: m.content };
        return { role: 'user', content: [{ type: 'text', text: m.content }, ...m.images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))] };
      default:
        return { role: m.role, content: m.content };
    }
  });
}

const definitions = new WeakMap<ToolDefinition, ChatCompletionFunctionTool>();

/**
 * A tool as a function definition, strict where its schema allows it (every property required,
 * no extra properties, at every level), since strict mode refuses any other schema. Built once
 * per definition: the same tools go out with every call.
 */
export function toWireTool(tool: ToolDefinition): ChatCompletionFunctionTool {
  let wire = definitions.get(tool);
  if (!wire) {
    const strict = isStrictable(tool.parameters);
    wire = { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters, ...(strict && { strict: true }) } };
    definitions.set(tool, wire);
  }
  return wire;
}

function isStrictable(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true;
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; required?: unknown; additionalProperties?: unknown; items?: unknown; default?: unknown };
  if ('default' in s) return false;
  if (s.type === 'object') {
    const keys = Object.keys(s.properties ?? {});
    const required = Array.isArray(s.required) ? s.required : [];
    if (s.additionalProperties !== false || keys.some((k) => !required.includes(k))) return false;
    return keys.every((k) => isStrictable(s.properties![k]));
  }
  return s.items === undefined || isStrictable(s.items);
}

function usageOf(usage: ChatCompletion['usage'] | null | undefined): TokenUsage | null {
  return usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens } : null;
}

/** A whole answer. */
export function fromCompletion(completion: ChatCompletion): Completion & { refusal: string | null } {
  const message = completion.choices[0]?.message;
  const toolCalls: ModelToolCall[] = (message?.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []));
  return { content: message?.content ?? '', toolCalls, usage: usageOf(completion.usage), refusal: message?.refusal ?? null };
}

/**
 * Gathers a streamed answer: text as it comes (handed to `onText`), tool calls assembled from
 * their pieces by index, and the usage the last chunk carries.
 */
export class StreamedAnswer {
  private content = '';
  private refusal = '';
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();
  private usage: TokenUsage | null = null;

  constructor(private readonly onText: (delta: string) => void) {}

  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = usageOf(chunk.usage);
    const delta = chunk.choices[0]?.delta;
    if (!delta) return;
    if (delta.content) {
      this.content += delta.content;
      this.onText(delta.content);
    }
    if (delta.refusal) this.refusal += delta.refusal;
    for (const piece of delta.tool_calls ?? []) {
      const call = this.calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
      call.id ||= piece.id ?? '';
      call.name += piece.function?.name ?? '';
      call.arguments += piece.function?.arguments ?? '';
      this.calls.set(piece.index, call);
    }
  }

  result(): Completion & { refusal: string | null } {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([index, c]) => ({ ...c, id: c.id || `call_${index}` }));
    return { content: this.content, toolCalls, usage: this.usage, refusal: this.refusal || null };
  }
}
