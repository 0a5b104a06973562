import fc from 'fast-check';
import { parseCommandText } from '../../../src/core/model/command-text';
import { modelAnswerSchema, toIntent } from '../../../src/core/intent/intent';
import { parseAction } from '../../../src/core/conversation/action-handler';
import { ACTION_IDS } from '../../../src/core/model/action-ids';
import { normalizeKey } from '../../../src/core/context/context-rules';
import { requestCard } from '../../../src/core/requests/request-card';
import { cardToPlainText } from '../../../src/core/model/card';
import type { AgentRequest } from '../../../src/core/model/agent-request';
import { quoteInput } from '../../../src/core/text';

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

  it('turns any model answer that passes the schema into an intent, and refuses the rest with an error', () => {
    const answer = fc.record({
      kind: fc.constantFrom('chat', 'agent_request', 'other'),
      reply: fc.option(anyText),
      summary: fc.option(anyText),
      actions: fc.option(fc.array(fc.record({ tool: anyText, argsJson: fc.oneof(anyText, fc.json()), reason: anyText }), { maxLength: 5 })),
      destructive: fc.option(fc.boolean()),
    });
    fc.assert(
      fc.property(answer, (raw) => {
        const parsed = modelAnswerSchema.safeParse(raw);
        if (!parsed.success) {
          expect(parsed.error.issues.length).toBeGreaterThan(0);
          return;
        }
        const intent = toIntent(parsed.data);
        if (intent.kind === 'chat') expect(intent.reply.length).toBeGreaterThan(0);
        else expect(intent.actions.length + intent.unreadableArgs.length).toBe(parsed.data.actions!.length);
      }),
    );
  });

  it('decodes any button click into one of ours or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom('switchboard.approve', 'switchboard.context_clear_confirm')), anyText, (actionId, value) => {
        const parsed = parseAction({ actionId, value });
        expect(parsed === null).toBe(!(ACTION_IDS as readonly string[]).includes(actionId));
        if (parsed?.kind === 'decide' || parsed?.kind === 'cancel') expect(parsed.requestId).toBe(value);
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

  it('builds a card with bounded argument previews for any request', () => {
    const request = fc.record({
      summary: anyText.filter((s) => s.length > 0),
      args: fc.dictionary(anyText, fc.jsonValue(), { maxKeys: 20 }),
      reason: anyText,
      destructive: fc.boolean(),
      status: fc.constantFrom('pending', 'approved', 'denied', 'expired', 'running', 'succeeded', 'failed', 'cancelled' as const),
    });
    fc.assert(
      fc.property(request, (r) => {
        const req: AgentRequest = {
          id: '00000000-0000-4000-8000-000000000000',
          where: { platform: 'slack', workspace: 'T', channel: 'C', thread: '1' },
          summary: r.summary,
          actions: [{ tool: 't', args: r.args as Record<string, unknown>, reason: r.reason }],
          destructive: r.destructive,
          status: r.status,
          requestedBy: { id: 'U', name: 'u' },
          decidedBy: null,
          decidedAt: null,
          expiresAt: new Date(0),
          createdAt: new Date(0),
          cardMessageId: null,
          planHash: null,
        };
        const message = requestCard(req, () => ({ origin: 'built-in' }));
        const args = message.card!.elements.flatMap((e) => (e.type === 'fields' ? e.fields : [])).find((f) => f.label === 'Arguments')!;
        expect(args.value.length).toBeLessThanOrEqual(302);
        expect(cardToPlainText(message.card!)).toContain(r.summary);
        expect(message.card!.elements.some((e) => e.type === 'actions')).toBe(r.status === 'pending');
      }),
    );
  });
});
