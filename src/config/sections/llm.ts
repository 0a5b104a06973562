import { z } from 'zod';
import { optionalSecret, optionalUrl, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** The language model: any OpenAI-compatible server. */
export const llmSettings = {
  apiKey: setting('OPENAI_API_KEY', optionalSecret, { doc: 'enables the model (unset: explicit !commands only); any placeholder for local servers' }),
  baseUrl: setting('OPENAI_BASE_URL', optionalUrl, { doc: 'any OpenAI-compatible server (Ollama, vLLM, ...); unset is api.openai.com' }),
  model: setting('OPENAI_MODEL', z.string().min(1), { default: 'gpt-4o-mini', doc: 'model name' }),
  timeoutMs: setting('OPENAI_TIMEOUT_MS', wholeNumber(100, 600_000), { default: '30000', doc: 'timeout of each model call attempt, in milliseconds' }),
  maxRetries: setting('OPENAI_MAX_RETRIES', wholeNumber(0, 10), { default: '2', doc: 'retries of connection errors, 408, 409, 429 and 5xx, with backoff' }),
} satisfies Section;
