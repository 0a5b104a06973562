/** How far one run may go. From AGENT_MAX_TURNS, AGENT_MAX_TOOL_CALLS, AGENT_MAX_RUN_TIME and MAX_CALLS_PER_REQUEST. */
export interface AgentBudget {
  /** Model turns per run; default 8. */
  readonly maxTurns: number;
  /** Tool calls per run; default 20. */
  readonly maxToolCalls: number;
  /** From the run's start to its last tool use, waits for approval included; default 1 h. */
  readonly maxRunMs: number;
  /** Gated calls one card may show; default 10. */
  readonly maxCallsPerRequest: number;
}

/**
 * When a read-only tool may run without asking. Nothing else ever does: a destructive or
 * writing tool always waits for a person, whatever the model or a tool result says.
 */
export interface AutoRunPolicy {
  /** AUTO_RUN_READONLY: every read-only tool, everywhere. */
  readonly readOnlyEverywhere: boolean;
  /** AUTO_RUN_TOOLS: read-only tools by name, optionally only in one conversation (`platform:workspace:channel`) or channel id. */
  readonly rules: readonly { readonly tool: string; readonly where?: string }[];
}
