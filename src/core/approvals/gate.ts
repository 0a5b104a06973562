import { randomUUID } from 'node:crypto';
import { PlatformLimitError } from '../errors';
import type { AgentBudget } from '../model/agent-policy';
import { conversationOf, type Person, type ThreadRef } from '../model/conversation';
import type { Clock } from '../ports/clock';
import type { PlatformDirectory } from '../ports/platforms';
import type { NewRequest, NewToolCall } from '../ports/stores';
import type { ToolCatalog } from '../ports/tools';
import { truncate } from '../text/truncate';
import { newCardToken } from './card-token';
import { requestCard } from './request-card';
import { showCalls } from './show-calls';
import { hashPlan } from './shown-plan';

/** What preparing a gate needs. */
export interface GateDeps {
  readonly tools: ToolCatalog;
  readonly platforms: PlatformDirectory;
  readonly clock: Clock;
  readonly requestTtlMs: number;
  readonly budget: AgentBudget;
}

export type GatePlan = { readonly ok: true; readonly request: NewRequest | null } | { readonly ok: false; readonly why: string };

/**
 * The gate for one turn's calls: its gated calls become one request, shown on one card, before
 * anything is stored. Refused instead (nothing stored, nothing run) when there are more than a
 * card may hold, or when the platform cannot show every call in full: nothing may run that the
 * approver was not shown. The summary is the model's own words for the turn, if it gave any.
 */
export function prepareGate(calls: readonly NewToolCall[], at: { where: ThreadRef; requestedBy: Person; said: string | null }, deps: GateDeps): GatePlan {
  const gated = calls.filter((c) => c.gate === 'gated');
  if (gated.length === 0) return { ok: true, request: null };
  const max = deps.budget.maxCallsPerRequest;
  if (gated.length > max) return { ok: false, why: `It asked to run ${gated.length} calls that need approval at once; one request may hold at most ${max}.` };
  const shown = showCalls(gated, deps.tools, conversationOf(at.where));
  const request: NewRequest = {
    id: randomUUID(),
    summary: summaryOf(at.said, gated),
    destructive: shown.some((c) => c.destructive),
    expiresAt: new Date(deps.clock.now().getTime() + deps.requestTtlMs),
    planHash: hashPlan(shown),
    // Minted here, before anything is stored or posted, so the card's buttons carry it from the start.
    cardToken: newCardToken(),
  };
  const card = requestCard({ request: { ...request, status: 'pending', requestedBy: at.requestedBy, decidedBy: null, reason: null }, calls: shown });
  try {
    deps.platforms.get(at.where.platform).validate(card);
  } catch (error) {
    if (!(error instanceof PlatformLimitError)) throw error;
    return { ok: false, why: `Its approval card could not show every call in full here (${error.message}).` };
  }
  return { ok: true, request };
}

function summaryOf(said: string | null, gated: readonly NewToolCall[]): string {
  const words = said?.trim();
  if (words) return truncate(words, 300);
  const tools = [...new Set(gated.map((c) => c.tool))];
  return gated.length === 1 ? `Run ${tools[0]}` : `Run ${gated.length} calls: ${tools.join(', ')}`;
}
