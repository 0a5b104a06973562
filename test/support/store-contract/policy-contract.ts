import type { RuleScope } from '../../../src/core/model/policy-rule';
import type { WorkspaceRef } from '../../../src/core/ports/schedule-store';
import { eventually } from '../eventually';
import { alice, bob, workspace } from './builders';
import type { StoreWorld } from './store-world';

/** Policy rules: one per scope, each write merged over it with who and when, and every change heard by every process. */
export function policyContract(world: () => StoreWorld): void {
  describe('policy rule store', () => {
    const scopeIn = (ws: string, channel: string | null, tool = 'http_get'): RuleScope => ({ platform: 'slack', workspace: ws, channel, tool });

    it('keeps a channel rule and a workspace rule apart, and shows a workspace only its own', async () => {
      const { policyRules } = world().stores;
      const ws = workspace();
      await policyRules.setRule({ ...scopeIn(ws, 'C1'), set: { run: 'auto' }, by: alice });
      await policyRules.setRule({ ...scopeIn(ws, null), set: { run: 'hide' }, by: bob });
      await policyRules.setRule({ ...scopeIn(workspace(), null), set: { run: 'ask' }, by: bob });
      const rules = await policyRules.rulesIn({ platform: 'slack', workspace: ws });
      expect(rules.map((r) => [r.channel, r.run, r.setBy.name])).toEqual(expect.arrayContaining([['C1', 'auto', 'alice'], [null, 'hide', 'bob']]));
      expect(rules).toHaveLength(2);
      expect(rules[0]!.setAt.getTime()).toEqual(expect.any(Number));
      expect(await policyRules.rulesIn({ platform: 'discord', workspace: ws })).toEqual([]);
      const all = await policyRules.allRules();
      expect(all.filter((r) => r.workspace === ws)).toHaveLength(2);
      expect(all.length).toBeGreaterThan(2);
    });

    it('merges a write over the rule already there: fields it does not set are kept, who set it is the last writer', async () => {
      const { policyRules } = world().stores;
      const scope = scopeIn(workspace(), 'C1', 'github__*');
      await policyRules.setRule({ ...scope, set: { run: 'ask', fourEyes: true }, by: alice });
      const merged = await policyRules.setRule({ ...scope, set: { approvers: ['S_ONCALL', 'U9'] }, by: bob });
      expect(merged).toMatchObject({ run: 'ask', fourEyes: true, approvers: ['S_ONCALL', 'U9'], setBy: bob, tool: 'github__*' });
      const cleared = await policyRules.setRule({ ...scope, set: { approvers: null }, by: bob });
      expect(cleared).toMatchObject({ run: 'ask', approvers: null });
      expect(await policyRules.rulesIn(scope)).toHaveLength(1);
    });

    it('removes a rule once: the second removal finds none', async () => {
      const { policyRules } = world().stores;
      const scope = scopeIn(workspace(), 'C7');
      await policyRules.setRule({ ...scope, set: { run: 'auto' }, by: alice });
      expect(await policyRules.removeRule(scope)).toBe(true);
      expect(await policyRules.removeRule(scope)).toBe(false);
      expect(await policyRules.rulesIn(scope)).toEqual([]);
    });

    it('tells another process of every change, with its workspace, once it is written', async () => {
      const [other] = await world().others(1);
      const heard: WorkspaceRef[] = [];
      await other!.policyRules.watch((w) => heard.push(w), () => undefined);
      const ws = workspace();
      const scope = scopeIn(ws, 'C1');
      await world().stores.policyRules.setRule({ ...scope, set: { run: 'auto' }, by: alice });
      await eventually(() => expect(heard).toContainEqual({ platform: 'slack', workspace: ws }));
      expect(await other!.policyRules.rulesIn(scope)).toEqual([expect.objectContaining({ run: 'auto' })]);
      const before = heard.length;
      await world().stores.policyRules.removeRule(scope);
      await eventually(() => expect(heard.length).toBeGreaterThan(before));
    });
  });
}
