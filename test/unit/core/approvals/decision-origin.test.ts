import { originRefusal, type DecisionOrigin, type RequestHome } from '../../../../src/core/approvals/decision-origin';

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
