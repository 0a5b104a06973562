import type { AutoRunPolicy } from '../../core/model/agent-policy';
import { duration, flag, list, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** `tool` or `tool@where`, where is a channel id or `platform:workspace:channel`. */
function autoRunRule(entry: string): AutoRunPolicy['rules'][number] {
  const at = entry.indexOf('@');
  return at < 0 ? { tool: entry } : { tool: entry.slice(0, at), where: entry.slice(at + 1) };
}

/** The agent loop: which read-only calls run without a card, each run's budget, recovering turns after a crash. */
export const agentSettings = {
  autoRun: {
    readOnlyEverywhere: setting('AUTO_RUN_READONLY', flag, {
      default: 'false',
      doc: "the agent's read-only calls (built-ins, MCP tools annotated read-only) run without a card",
    }),
    rules: setting('AUTO_RUN_TOOLS', list.transform((entries) => entries.map(autoRunRule)), {
      doc: 'read-only tools that run without a card: `http_get`, or `http_get@C0123` / `http_get@slack:T1:C0123` for one channel',
    }),
  },
  budget: {
    maxTurns: setting('AGENT_MAX_TURNS', wholeNumber(1, 100), { default: '8', doc: 'model turns per run; then one last turn without tools, whose answer names the limit' }),
    maxToolCalls: setting('AGENT_MAX_TOOL_CALLS', wholeNumber(1, 500), { default: '20', doc: 'tool calls per run' }),
    maxRunMs: setting('AGENT_MAX_RUN_TIME', duration, { default: '1h', doc: 'wall-clock limit of a run, waits for decisions included' }),
    maxCallsPerRequest: setting('MAX_CALLS_PER_REQUEST', wholeNumber(1, 25), { default: '10', doc: 'calls one approval card may hold' }),
  },
  turnRecoveryWindowMs: setting('TURN_RECOVERY_WINDOW', duration, {
    default: '10m',
    doc: 'a turn a dead process left unanswered is answered by another when younger than this; older ones are skipped',
  }),
} satisfies Section;
