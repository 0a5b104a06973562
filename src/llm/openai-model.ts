import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, RateLimitError } from 'openai';
import { ModelError } from '../core/errors';
import type { Completion, CompletionRequest, LanguageModel } from '../core/ports/language-model';
import { fromCompletion, StreamedAnswer, toWireMessages, toWireTool } from './chat-wire';
import type { Logger } from '../logging/logger';

/** Options for {@link OpenAiModel}; from the OPENAI_* variables. */
export interface OpenAiModelOptions {
  apiKey: string;
  /** Any OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 for Ollama. Default: OpenAI. */
  baseUrl?: string;
  model: string;
  /** Per attempt. Default in config: 30 s. */
  timeoutMs: number;
  /** The SDK retries connection errors, 408, 409, 429 and 5xx with backoff. Default in config: 2. */
  maxRetries: number;
}

/**
 * The language-model port over the openai SDK's Chat Completions: tool calling for the agent's
 * turns, streamed when the caller wants the text as it comes. Chat Completions because OpenAI-compatible servers (Ollama, vLLM, LM Studio)
 * have it where they lack the Responses API.
 */
export class OpenAiModel implements LanguageModel {
  private readonly client: OpenAI;
  constructor(
    private readonly options: OpenAiModelOptions,
    private readonly log: Logger,
  ) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const started = Date.now();
    const body = {
      model: this.options.model,
      messages: toWireMessages(request.messages),
      ...(request.tools?.length && { tools: request.tools.map(toWireTool) }),
    };
    try {
      const answer = request.onText ? await this.stream(body, request.onText, request.signal) : fromCompletion(await this.client.chat.completions.create(body, { signal: request.signal }));
      if (answer.refusal) throw new ModelError('refused', `model refused: ${answer.refusal}`, { purpose: request.purpose });
      this.log.debug({ purpose: request.purpose, ms: Date.now() - started, toolCalls: answer.toolCalls.length, usage: answer.usage }, 'model answered');
      return { content: answer.content, toolCalls: answer.toolCalls, usage: answer.usage };
    } catch (error) {
      throw toModelError(error, request.purpose, Date.now() - started >= this.options.timeoutMs);
    }
  }

  private async stream(body: Parameters<OpenAI['chat']['completions']['create']>[0], onText: (delta: string) => void, signal?: AbortSignal) {
    const chunks = await this.client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal });
    const answer = new StreamedAnswer(onText);
    for await (const chunk of chunks) answer.add(chunk);
    return answer.result();
  }
}

/**
 * Maps SDK and parsing failures to our typed ModelError, keeping the cause. A connection
 * error after the timeout has passed counts as a timeout: the SDK recognises its own
 * abort by the error's class, which fails when fetch lives in another realm (jest's vm).
 */
export function toModelError(error: unknown, purpose: string, timeoutElapsed = false): ModelError {
  if (error instanceof ModelError) return error;
  const context = { purpose };
  if (error instanceof APIConnectionTimeoutError || (error instanceof APIConnectionError && timeoutElapsed)) return new ModelError('timeout', 'model timed out', context, { cause: error });
  if (error instanceof RateLimitError) return new ModelError('rate_limited', 'model rate limited (429)', context, { cause: error });
  if (error instanceof APIConnectionError || cutOff(error)) return new ModelError('unavailable', `model unreachable: ${String((error as { message?: unknown }).message)}`, context, { cause: error });
  if (error instanceof APIError) {
    return new ModelError('unavailable', `model answered HTTP ${error.status}`, { ...context, status: error.status }, { cause: error });
  }
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return new ModelError('malformed_output', `model answer did not match the schema (${name})`, context, { cause: error });
}

/**
 * A streamed answer whose connection died mid-read: fetch (undici) ends the body with
 * TypeError('terminated'). Matched by shape, since fetch's errors may come from another realm.
 */
function cutOff(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'TypeError' && message === 'terminated';
}
