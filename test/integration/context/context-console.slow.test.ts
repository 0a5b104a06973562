import { userInfo } from 'node:os';
import { chatAnswer } from '../../fakes/fake-openai';
import { consoleSession } from '../../support/console-session';
import { quietFallback, rememberAnswer } from './context-support';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();
beforeAll(() => {
  quietFallback(services.llm);
});

const consoleRun = (lines: string[]) => consoleSession(services.db.url, lines, { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: services.llm.baseUrl });

describe('context through the console', () => {
  it('shows a fact learned in one run in /context and in the prompt of the next run', async () => {
    services.llm.script('chat', rememberAnswer('Noted, ArgoCD on EKS.', { type: 'technology', key: 'deploy_tool', value: 'ArgoCD to EKS' }));
    const first = await consoleRun(['we deploy everything with ArgoCD to EKS']);
    expect(first).toContain('Noted, ArgoCD on EKS.');

    services.llm.script('chat', chatAnswer('With ArgoCD, as usual.'));
    const second = await consoleRun(['/context', 'how do we deploy the new service?']);
    expect(second).toMatch(new RegExp(`\\(only you\\) \\*technology\\*\\n\\(only you\\) • deploy_tool: ArgoCD to EKS \\(learned from ${userInfo().username || 'you'}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)`));
    expect(services.llm.requestsFor('chat').at(-1)!.prompt).toContain('- deploy_tool: ArgoCD to EKS');
  });
});
