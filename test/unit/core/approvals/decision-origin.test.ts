import { newCardToken } from '../../../../src/core/approvals/card-token';
import { originRefusal, type DecisionOrigin, type RequestHome } from '../../../../src/core/approvals/decision-origin';
import { decisionButtons, parseRequestValue, requestValue } from '../../../../src/core/approvals/request-card';

const home: RequestHome = { where: { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.0' }, cardMessageId: '1.5' };
const inbox = (over: Partial<Extract<DecisionOrigin, { via: 'inbox' }>> = {}): DecisionOrigin => ({ via: 'inbox', owner: 'U1', platform: 'slack', workspace: 'T1', ...over });

describe('where a decision may come from', () => {
  test('an inbox click counts from the decider\'s own private surface in the request\'s workspace', () => {
    expect(originRefusal(inbox(), home, false, 'U1')).toBeNull();
  });

  test('an inbox click shown to someone else is refused, approver or not', () => {
    expect(originRefusal(inbox({ owner: 'U2' }), home, true, 'U1')).toMatch(/someone else/);
  });

  test("an inbox click cannot decide another workspace's or another platform's request", () => {
    expect(originRefusal(inbox({ workspace: 'T2' }), home, true, 'U1')).toMatch(/another workspace/);
    expect(originRefusal(inbox({ platform: 'discord' }), home, true, 'U1')).toMatch(/another workspace/);
  });

  test('a direct message outside any workspace passes here; who may decide is then checked in the request\'s workspace', () => {
    expect(originRefusal(inbox({ workspace: null }), home, false, 'U1')).toBeNull();
  });

  test('a click on a message still counts only on the request\'s own card', () => {
    expect(originRefusal({ via: 'click', where: home.where, messageId: '1.5' }, home, false, 'U1')).toBeNull();
    expect(originRefusal({ via: 'click', where: home.where, messageId: '9.9' }, home, true, 'U1')).toMatch(/not on this request's card/);
  });
});

describe("a click that beats the card's record", () => {
  const token = newCardToken();
  const unrecorded: RequestHome = { ...home, cardMessageId: null, cardToken: token };
  const click = (over: { cardToken?: string | null; messageId?: string; channel?: string; workspace?: string } = {}): DecisionOrigin => ({
    via: 'click',
    where: { ...home.where, channel: over.channel ?? 'C1', workspace: over.workspace ?? 'T1' },
    messageId: over.messageId ?? '2.0',
    cardToken: over.cardToken === undefined ? token : over.cardToken,
  });

  test("counts when its button carries the card's token, in the request's workspace and channel", () => {
    expect(originRefusal(click(), unrecorded, false, 'U1')).toBeNull();
  });

  test('is refused with a forged token, a token cut short or none at all', () => {
    expect(originRefusal(click({ cardToken: newCardToken() }), unrecorded, true, 'U1')).toMatch(/not on this request's card/);
    expect(originRefusal(click({ cardToken: token.slice(0, -1) }), unrecorded, true, 'U1')).toMatch(/not on this request's card/);
    expect(originRefusal(click({ cardToken: null }), unrecorded, true, 'U1')).toMatch(/not on this request's card/);
  });

  test("is refused from another channel or workspace, even with the card's token", () => {
    expect(originRefusal(click({ channel: 'C2' }), unrecorded, true, 'U1')).toMatch(/not on this request's card/);
    expect(originRefusal(click({ workspace: 'T2' }), unrecorded, true, 'U1')).toMatch(/another workspace/);
  });

  test("once the card is recorded, the token does not stand in for its message, and a wrong token is refused on it", () => {
    const recorded: RequestHome = { ...unrecorded, cardMessageId: '1.5' };
    expect(originRefusal(click({ messageId: '1.5' }), recorded, false, 'U1')).toBeNull();
    expect(originRefusal(click({ messageId: '9.9' }), recorded, true, 'U1')).toMatch(/not on this request's card/);
    expect(originRefusal(click({ messageId: '1.5', cardToken: newCardToken() }), recorded, true, 'U1')).toMatch(/not on this request's card/);
  });

  test('a card older than tokens keeps the message check: nothing decides it before its record', () => {
    const old: RequestHome = { ...home, cardMessageId: null, cardToken: null };
    expect(originRefusal(click(), old, true, 'U1')).toMatch(/not on this request's card/);
    expect(originRefusal(click({ cardToken: null, messageId: '1.5' }), { ...old, cardMessageId: '1.5' }, false, 'U1')).toBeNull();
  });
});

describe("a request button's value", () => {
  test("carries the request, Approve's plan and the card's token, and reads back whole", () => {
    const token = newCardToken();
    const id = '00000000-0000-4000-8000-000000000000';
    expect(parseRequestValue(requestValue(id, { planHash: 'abcdef0123456789', cardToken: token }))).toEqual({ requestId: id, planHash: 'abcdef0123456789', cardToken: token });
    expect(parseRequestValue(requestValue(id, { cardToken: token }))).toEqual({ requestId: id, planHash: null, cardToken: token });
    // Buttons from before tokens, and inbox lists, carry none.
    expect(parseRequestValue(`${id}.abcdef0123456789`)).toEqual({ requestId: id, planHash: 'abcdef0123456789', cardToken: null });
    expect(parseRequestValue(id)).toEqual({ requestId: id, planHash: null, cardToken: null });
  });

  test("inbox lists show the card's decision buttons without its token", () => {
    const request = { id: 'r1', planHash: 'h1', destructive: false, summary: 'Count down' };
    expect(decisionButtons(request).map((b) => b.value)).toEqual(['r1.h1', 'r1']);
    expect(decisionButtons(request, 'tok').map((b) => b.value)).toEqual(['r1.h1:tok', 'r1:tok']);
  });
});
