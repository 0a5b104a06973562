import type { Logger } from '../../logging/logger';
import { ModelError } from '../errors';
import { epochMs, type Clock } from '../ports/clock';
import type { Completion, CompletionRequest, LanguageModel } from '../ports/language-model';
import { MODEL_OUTCOMES, type Metrics, type ModelOutcome, type ModelPurpose } from '../ports/metrics';

/** What timing and telling about a model call needs. */
export interface ModelCallDeps {
  readonly model: LanguageModel;
  readonly metrics: Metrics;
  readonly clock: Clock;
}

/**
 * One model call, counted and timed by purpose and outcome with the tokens it used, and
 * logged on the caller's logger, so the line carries the turn's or the step's trace id.
 * Throws what the model threw.
 */
export async function callModel(deps: ModelCallDeps, request: CompletionRequest & { readonly purpose: ModelPurpose }, log: Logger): Promise<Completion> {
  const started = epochMs(deps.clock);
  const ended = (outcome: ModelOutcome, completion?: Completion) => {
    const ms = epochMs(deps.clock) - started;
    const usage = completion?.usage;
    deps.metrics.modelCallEnded({ purpose: request.purpose, outcome, ms, promptTokens: usage?.promptTokens, completionTokens: usage?.completionTokens });
    log.debug({ purpose: request.purpose, outcome, ms, toolCalls: completion?.toolCalls.length, usage }, 'model call ended');
  };
  try {
    const completion = await deps.model.complete(request);
    ended('ok', completion);
    return completion;
  } catch (err) {
    ended(outcomeOf(err));
    throw err;
  }
}

/** A ModelError's code when it is one of the outcomes; anything else thrown is `other`. */
function outcomeOf(err: unknown): ModelOutcome {
  const code = err instanceof ModelError ? err.code : 'other';
  return (MODEL_OUTCOMES as readonly string[]).includes(code) ? (code as ModelOutcome) : 'other';
}
