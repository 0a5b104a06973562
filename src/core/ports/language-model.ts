import type { TokenUsage } from '../model/agent-run';

/** A tool call as the model wrote it: `arguments` is its raw JSON text, unchecked. */
export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/**
 * The chat transcript of a tool-calling conversation, in the format OpenAI-compatible servers
 * share: the assistant's tool calls are answered by one `tool` message each, by id.
 */
export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  /** `images`: data URLs of images the person attached, sent as image parts after the words (MODEL_VISION). */
  | { readonly role: 'user'; readonly content: string; readonly images?: readonly string[] }
  | { readonly role: 'assistant'; readonly content: string | null; readonly toolCalls?: readonly ModelToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

/** A tool offered to the model: its name, what it does, and the JSON Schema of its arguments. */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
}

export interface CompletionRequest {
  /** What the call is for, in logs and metrics (e.g. `turn`, `step`). */
  readonly purpose: string;
  readonly messages: readonly ChatMessage[];
  /** Offered tools; none (or empty) means the model must answer in words. */
  readonly tools?: readonly ToolDefinition[];
  readonly signal?: AbortSignal;
  /** Called with each piece of answer text as it arrives; setting it streams the answer. */
  readonly onText?: (delta: string) => void;
}

/** The model's answer: text, tool calls, or both. */
export interface Completion {
  readonly content: string;
  readonly toolCalls: readonly ModelToolCall[];
  readonly usage: TokenUsage | null;
}

/**
 * The language model as the core needs it. Implementations throw ModelError with code
 * `timeout`, `rate_limited`, `unavailable`, `refused` or `malformed_output`.
 */
export interface LanguageModel {
  /** A chat completion with tools: the agent's every model turn. */
  complete(request: CompletionRequest): Promise<Completion>;
}
