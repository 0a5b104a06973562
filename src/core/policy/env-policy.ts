import type { CoreSettings } from '../core-deps';
import type { EnvPolicy } from './tool-policy';

/** The environment's policy (AUTO_RUN_*, APPROVERS, FOUR_EYES): what applies where no rule says otherwise. */
export function envPolicy(settings: Pick<CoreSettings, 'autoRun' | 'policy'>): EnvPolicy {
  return { autoRun: settings.autoRun, approval: settings.policy };
}
