import { isPolicyAdmin } from '../../../../src/core/approvals/decision-policy';

const ana = { id: 'U_ANA', name: 'ana' };
const policy = (policyAdmins: string[]) => ({ approvers: ['U_APPROVER'], fourEyes: false, policyAdmins });

describe('who may set policy', () => {
  it.each([
    ['a workspace admin, with POLICY_ADMINS empty', { isAdmin: true, groups: [] }, [], true],
    ['a workspace admin, with POLICY_ADMINS naming others', { isAdmin: true, groups: [] }, ['U_BEN'], true],
    ['a user POLICY_ADMINS names', { isAdmin: false, groups: [] }, ['U_ANA'], true],
    ['a member of a group POLICY_ADMINS names', { isAdmin: false, groups: ['S_ONCALL'] }, ['S_ONCALL'], true],
    ['anyone else', { isAdmin: false, groups: ['S_OTHER'] }, ['U_BEN', 'S_ONCALL'], false],
    ['anyone else, with POLICY_ADMINS empty', { isAdmin: false, groups: [] }, [], false],
  ])('%s', (_who, authority, admins, expected) => {
    expect(isPolicyAdmin(ana, authority, policy(admins))).toBe(expected);
  });

  it('does not make an approver a policy admin', () => {
    expect(isPolicyAdmin({ id: 'U_APPROVER', name: 'approver' }, { isAdmin: false, groups: [] }, policy([]))).toBe(false);
  });
});
