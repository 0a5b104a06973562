import { mentionedId, parsePolicyChange } from '../../../../src/core/conversation/commands/policy-command';
import type { PolicyRule } from '../../../../src/core/model/policy-rule';
import { requestApproval, toolPolicy, visibleTools, type EnvPolicy } from '../../../../src/core/policy/tool-policy';
import type { Tool } from '../../../../src/core/ports/tools';

const scope = { platform: 'slack' as const, workspace: 'T1', channel: 'C1' };
const env: EnvPolicy = { autoRun: { readOnlyEverywhere: false, rules: [] }, approval: { approvers: ['U_ENV'], fourEyes: false } };
const tool = (name: string, flags: Partial<Pick<Tool, 'readOnly' | 'destructive'>> = {}) => ({ name, readOnly: false, destructive: false, ...flags }) as Tool;
const rule = (over: Partial<PolicyRule>): PolicyRule => ({
  platform: 'slack',
  workspace: 'T1',
  channel: null,
  tool: 'http_get',
  run: null,
  approvers: null,
  fourEyes: null,
  setBy: { id: 'U_ADMIN', name: 'ana' },
  setAt: new Date('2026-12-08T03:00:00Z'),
  ...over,
});

describe('policy resolution', () => {
  test('each setting comes from the channel rule, else the workspace rule, else the environment', () => {
    const rules = [rule({ run: 'hide', approvers: ['S1'] }), rule({ channel: 'C1', run: 'auto' }), rule({ channel: 'C2', fourEyes: true })];
    const resolved = toolPolicy(tool('http_get'), scope, rules, env);
    expect(resolved.run).toMatchObject({ value: 'auto', source: 'channel' });
    expect(resolved.approvers).toMatchObject({ value: ['S1'], source: 'workspace' });
    expect(resolved.fourEyes).toEqual({ value: false, source: 'environment', rule: null });
    expect(toolPolicy(tool('http_get'), { ...scope, channel: 'C3' }, rules, env).run.value).toBe('hide');
  });

  test("a tool's own rule comes before its server's server__* at the same level, and another workspace's rules never count", () => {
    const rules = [rule({ tool: 'github__*', run: 'hide' }), rule({ tool: 'github__read', run: 'auto' }), rule({ workspace: 'T2', tool: 'github__list', run: 'auto' })];
    expect(toolPolicy(tool('github__read'), scope, rules, env).run.value).toBe('auto');
    expect(toolPolicy(tool('github__list'), scope, rules, env).run.value).toBe('hide');
    expect(toolPolicy(tool('githubx'), scope, rules, env).run).toMatchObject({ value: 'ask', source: 'environment' });
  });

  test('a destructive tool is never auto, whatever a rule or the environment says', () => {
    const rules = [rule({ tool: 'drop_table', channel: 'C1', run: 'auto' })];
    expect(toolPolicy(tool('drop_table', { destructive: true }), scope, rules, env).run.value).toBe('ask');
    const everywhere = { ...env, autoRun: { readOnlyEverywhere: true, rules: [] } };
    expect(toolPolicy(tool('drop_table', { destructive: true, readOnly: true }), scope, [], everywhere).run.value).toBe('ask');
    expect(toolPolicy(tool('http_get', { readOnly: true }), scope, [], everywhere).run.value).toBe('auto');
  });

  test('hidden tools are not offered; a request of several tools needs an approver of each', () => {
    const rules = [rule({ tool: 'a', run: 'hide' }), rule({ tool: 'b', approvers: ['S_ONCALL'], fourEyes: true })];
    expect(visibleTools([tool('a'), tool('b')], scope, rules, env).map((t) => t.name)).toEqual(['b']);
    const approval = requestApproval(['b', 'c', 'b'], scope, rules, env.approval);
    expect(approval.approverLists).toEqual([['S_ONCALL'], ['U_ENV']]);
    expect(approval.policy).toMatchObject({ fourEyes: true, approvers: ['S_ONCALL', 'U_ENV'] });
  });
});

describe('the policy command words', () => {
  test('mentions become ids on both platforms; anything else is taken as written', () => {
    expect(['<@U1|ana>', '<!subteam^S2|@oncall>', '<@123>', '<@!456>', '<@&789>', 'U9'].map(mentionedId)).toEqual(['U1', 'S2', '123', '456', '789', 'U9']);
  });

  test('a change reads its verb, tool, approvers and level (the channel by default); anything incomplete is null', () => {
    expect(parsePolicyChange(['allow', 'http_get'])).toEqual({ change: { kind: 'run', run: 'auto' }, tool: 'http_get', level: 'channel' });
    expect(parsePolicyChange(['hide', 'github__*', 'workspace'])).toEqual({ change: { kind: 'run', run: 'hide' }, tool: 'github__*', level: 'workspace' });
    expect(parsePolicyChange(['approvers', 'deploy', '<@U1>', '<@&2>', 'channel'])).toEqual({ change: { kind: 'approvers', approvers: ['U1', '2'] }, tool: 'deploy', level: 'channel' });
    expect(parsePolicyChange(['reset', 'deploy', 'workspace'])).toEqual({ change: { kind: 'reset' }, tool: 'deploy', level: 'workspace' });
    expect(parsePolicyChange(['approvers', 'deploy'])).toBeNull();
    expect(parsePolicyChange(['allow', 'x', 'y'])).toBeNull();
    expect(parsePolicyChange(['budget', '1000'])).toBeNull();
  });
});
