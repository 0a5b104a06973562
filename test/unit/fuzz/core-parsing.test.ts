import fc from 'fast-check';
import { parseCommandText } from '../../../src/core/model/command-text';
import { sortCalls } from '../../../src/core/agent/call-policy';
import { requestCard } from '../../../src/core/approvals/request-card';
import { canonicalJson, hashPlan, type ShownCall } from '../../../src/core/approvals/shown-plan';
import { countdownTool } from '../../../src/tools/countdown';
import { ToolRegistry } from '../../../src/tools/tool-registry';
import { parseAction } from '../../../src/core/conversation/action-handler';
import { ACTION_IDS } from '../../../src/core/model/action-ids';
import { normalizeKey } from '../../../src/core/context/context-rules';
import { cardToPlainText } from '../../../src/core/model/card';
import { quoteInput } from '../../../src/core/text/quote-input';

const anyText = fc.string({ unit: 'grapheme', maxLength: 300 });

describe('parsing untrusted input never throws', () => {
  it('splits any text into a command or says it is not one', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseCommandText(text);
        if (parsed) {
          expect(parsed.name).toMatch(/^[a-z][a-z0-9_-]*$/);
          expect(text.trim().startsWith('!')).toBe(true);
        }
      }),
    );
  });

  it('sorts any tool calls a model writes: each refused with a reason, or checked by its tool and gated by policy', () => {
    const tools = new ToolRegistry([countdownTool]);
    const scope = { platform: 'slack' as const, workspace: 'T', channel: 'C' };
    const call = fc.record({ id: anyText, name: fc.oneof(anyText, fc.constant('countdown')), arguments: fc.oneof(anyText, fc.json(), fc.constant('{"steps":2}')) });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 6 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), (calls, callsLeft, readOnlyEverywhere) => {
        const sorted = sortCalls(calls, { tools, scope, env: { autoRun: { readOnlyEverywhere, rules: [] }, approval: { approvers: [], fourEyes: false } }, rules: [], callsLeft });
        expect(sorted).toHaveLength(calls.length);
        sorted.forEach((c, i) => {
          expect(c.callId).toBe(calls[i]!.id);
          if (c.status === 'refused') return expect(c.result).toMatch(/^Not run: /);
          expect(i).toBeLessThan(callsLeft);
          expect(countdownTool.checkArgs(c.args).ok).toBe(true);
          expect(c.status).toBe(readOnlyEverywhere ? 'ready' : 'pending');
        });
      }),
    );
  });

  it('decodes any button click into one of ours or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom('switchboard.approve', 'switchboard.context_clear_confirm')), anyText, (actionId, value) => {
        const parsed = parseAction({ actionId, value });
        expect(parsed === null).toBe(!(ACTION_IDS as readonly string[]).includes(actionId));
        if (parsed?.kind === 'approve') expect(`${parsed.requestId}${parsed.planHash === null ? '' : `.${parsed.planHash}`}`).toBe(value);
        if (parsed?.kind === 'deny' || parsed?.kind === 'deny_reason' || parsed?.kind === 'edit') expect(parsed.requestId).toBe(value);
        if (parsed?.kind === 'cancel') expect(parsed.runId).toBe(value);
        if (parsed?.kind === 'clear_confirm') expect(parsed.token).toBe(value);
      }),
    );
  });

  it('quotes any input as one short line with no backtick, control or invisible character, marking a cut', () => {
    const anyInput = fc.oneof(anyText, fc.string({ unit: 'binary', maxLength: 300 }));
    fc.assert(
      fc.property(anyInput, fc.integer({ min: 1, max: 80 }), (value, maxChars) => {
        const quoted = quoteInput(value, maxChars);
        expect([...quoted].length).toBeLessThanOrEqual(maxChars + 3);
        expect(quoted).toMatch(/^"[^`\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*"$/u);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z ]{0,100}$/), fc.integer({ min: 1, max: 80 }), (plain, maxChars) => {
        expect(quoteInput(plain, maxChars)).toBe(`"${plain.length > maxChars ? `${plain.slice(0, maxChars)}…` : plain}"`);
      }),
    );
  });

  it('normalises any key to a short safe identifier', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        expect(normalizeKey(raw)).toMatch(/^[a-z0-9_.-]{0,100}$/);
      }),
    );
  });

  it('builds a card that shows every call whole for any request, and a hash that changes with any shown argument', () => {
    const request = fc.record({
      summary: anyText.filter((s) => s.length > 0),
      args: fc.dictionary(anyText, fc.jsonValue(), { maxKeys: 20 }),
      destructive: fc.boolean(),
      status: fc.constantFrom('pending', 'approved', 'denied', 'expired', 'cancelled' as const),
    });
    fc.assert(
      fc.property(request, anyText, (r, extra) => {
        const calls: ShownCall[] = [{ tool: 't', origin: 'built-in', args: canonicalJson(r.args), touches: null, caution: null, destructive: r.destructive }];
        const planHash = hashPlan(calls);
        const message = requestCard({
          request: { id: '00000000-0000-4000-8000-000000000000', summary: r.summary, destructive: r.destructive, status: r.status, requestedBy: { id: 'U', name: 'u' }, decidedBy: null, reason: null, expiresAt: new Date(0), planHash, cardToken: null },
          calls,
        });
        const fields = message.card!.elements.find((e) => e.type === 'fields');
        expect(fields).toMatchObject({ whole: true });
        expect(fields!.type === 'fields' && fields!.fields.find((f) => f.label === 'Arguments')!.value).toBe(`\`${canonicalJson(r.args)}\``);
        expect(cardToPlainText(message.card!)).toContain(r.summary);
        expect(message.card!.elements.some((e) => e.type === 'actions')).toBe(r.status === 'pending');
        const edited = hashPlan([{ ...calls[0]!, args: canonicalJson({ ...r.args, [`${extra}!`]: 1 }) }]);
        expect(edited).not.toBe(planHash);
      }),
    );
  });
});
