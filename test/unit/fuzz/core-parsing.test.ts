import fc from 'fast-check';
import { parseCommandText } from '../../../src/core/model/command-text';
import { modelAnswerSchema, toIntent } from '../../../src/core/intent/intent';
import { parseAction } from '../../../src/core/conversation/action-handler';
import { ACTION_IDS, CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { normalizeKey } from '../../../src/core/context/context-rules';
import { requestCard } from '../../../src/core/requests/request-card';
import { cardToPlainText } from '../../../src/core/model/card';
import type { AgentRequest } from '../../../src/core/model/agent-request';

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

  it('reads any answer of a kind we know into an intent, a request only when it names actions, and refuses any other kind', () => {
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
        expect(parsed.success).toBe(raw.kind !== 'other');
        if (!parsed.success) return;
        const intent = toIntent(parsed.data);
        const actions = raw.actions ?? [];
        expect(intent.kind).toBe(raw.kind === 'agent_request' && actions.length > 0 ? 'agent_request' : 'chat');
        if (intent.kind === 'chat') {
          expect(intent.reply.trim()).not.toBe('');
          return;
        }
        expect(intent.summary.trim()).not.toBe('');
        expect(intent.destructive).toBe(raw.destructive ?? false);
        expect(intent.actions.length + intent.unreadableArgs.length).toBe(actions.length);
        for (const action of intent.actions) expect(Object.getPrototypeOf(action.args)).toBe(Object.prototype);
      }),
    );
  });

  it('decodes any button click into one of ours or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom('switchboard.approve', 'switchboard.context_clear_confirm')), anyText, (actionId, value) => {
        const parsed = parseAction({ actionId, value });
        expect(parsed === null).toBe(!(ACTION_IDS as readonly string[]).includes(actionId));
        if (parsed?.kind === 'decide' || parsed?.kind === 'cancel') expect(parsed.requestId).toBe(value);
      }),
    );
  });

  it('reads back, from a clear confirmation, the time its question was asked', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (askedAt) => {
        expect(parseAction({ actionId: CLEAR_CONTEXT_CONFIRM_ACTION, value: String(askedAt.getTime()) })).toEqual({ kind: 'clear_confirm', issuedAt: askedAt.getTime() });
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
