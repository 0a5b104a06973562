import { openConnections, type Connections } from '../../../src/db/orm';
import type { CoreSettings } from '../../../src/core/core-deps';
import { chatAnswer, toolAnswer } from '../../fakes/fake-openai';
import { PrometheusMetrics } from '../../../src/metrics/prometheus-metrics';
import { buildCore, memoryLogger } from '../../support/core-harness';
import { parseExposition } from '../../support/prometheus-text';
import { rows } from '../../support/db-rows';
import { RecordingPlatform } from '../../support/recording-platform';
import { factRows, quietFallback, rememberAnswer } from './context-support';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();
beforeAll(() => {
  quietFallback(services.llm);
});

let n = 0;
let messages = 0;
/** A fresh channel with a core; `orm` lets a test build a second core after a "restart". */
function session(options: { channel?: string; db?: Pick<Connections, 'orm' | 'sql'>; settings?: Partial<CoreSettings> } = {}) {
  const platform = new RecordingPlatform('slack');
  const memory = memoryLogger();
  const metrics = new PrometheusMetrics({ defaultMetrics: false });
  const harness = buildCore({ db: options.db ?? services.db, platforms: [platform], openAiBaseUrl: services.llm.baseUrl, settings: options.settings, log: memory.log, metrics });
  const where = { platform: 'slack' as const, workspace: 'T1', channel: options.channel ?? `C-learn-${++n}`, thread: '100.1' };
  const say = (text: string, author = { id: 'U1', name: 'alice' }) =>
    harness.core.handleMessage({ where, messageId: `learn.${++messages}`, author, text });
  const callsSoFar = services.llm.requests.length;
  const modelCalls = () => services.llm.requests.slice(callsSoFar);
  const replies = () => platform.posts().map((p) => p.message.text);
  /** The facts refused so far, counted by reason, as /metrics shows them. */
  const refusals = async () =>
    Object.fromEntries(
      parseExposition(await metrics.exposition())
        .filter((sample) => sample.name === 'switchboard_context_facts_refused_total')
        .map((sample) => [sample.labels.reason, sample.value]),
    );
  return { platform, harness, where, say, modelCalls, replies, facts: () => factRows(services.db.orm, where), logs: memory.lines, refusals };
}

describe('learning context from conversations', () => {
  it('remembers a fact learned in one session in the prompt of a later session after a restart', async () => {
    const first = session();
    services.llm.script('chat', rememberAnswer('Good to know.', { type: 'technology', key: 'uses_kubernetes', value: 'Runs production on Kubernetes (EKS)' }));
    await first.say('we run production on EKS');
    expect(first.replies()).toEqual(['Good to know.']);

    const db = await openConnections(services.db.url, { orm: 2, hot: 2 });
    try {
      const second = session({ channel: first.where.channel, db });
      services.llm.script('chat', chatAnswer('Use a Helm chart.'));
      await second.say('how should we ship the new service?');
      const prompt = services.llm.requestsFor('chat').at(-1)!.body.messages[0]!.content;
      expect(prompt).toContain('technology:\n- uses_kubernetes: Runs production on Kubernetes (EKS)');
      expect(second.replies()).toEqual(['Use a Helm chart.']);
    } finally {
      await db.close();
    }
  });

  it('costs one model call per message, whether the message teaches something or not', async () => {
    const s = session();
    services.llm.script('chat', chatAnswer('Hello.'), rememberAnswer('Noted: Terraform.', { type: 'technology', key: 'iac', value: 'Terraform with Atlantis' }));
    await s.say('hi there');
    await s.say('all our infra is Terraform, planned through Atlantis');
    expect(s.modelCalls()).toHaveLength(2);
    expect(s.replies()).toEqual(['Hello.', 'Noted: Terraform.']);
    expect((await s.facts()).map((f) => f.context_value)).toEqual(['Terraform with Atlantis']);
  });

  it('asks once more, without tools, for the words of an answer that only remembered', async () => {
    const s = session();
    services.llm.script(
      'chat',
      toolAnswer([{ id: 'call_mem', name: 'remember', args: { facts: [{ contextType: 'preference', key: 'answer_style', value: 'Short answers', confidence: 0.9 }] } }]),
      chatAnswer('Short answers from now on.'),
    );
    await s.say('keep your answers short please');
    const [, followUp] = s.modelCalls();
    expect(followUp!.body.tools).toBeUndefined();
    expect(followUp!.body.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_mem', content: 'Remembered: answer_style.' });
    expect(s.replies()).toEqual(['Short answers from now on.']);
    expect((await s.facts()).map((f) => f.context_key)).toEqual(['answer_style']);
  });

  it('updates a fact in place under its normalised key, keeping when it was first learned', async () => {
    const s = session();
    services.llm.script('chat', rememberAnswer('ok', { type: 'technology', key: 'uses_kubernetes', value: 'yes' }));
    await s.say('we use kubernetes');
    const [before] = await s.facts();

    services.llm.script('chat', rememberAnswer('ok', { type: 'technology', key: 'Uses Kubernetes', value: 'Yes: EKS 1.29, deployed with ArgoCD' }));
    await s.say('EKS 1.29 by the way, and ArgoCD deploys it', { id: 'U2', name: 'bob' });

    expect(s.modelCalls()[1]!.body.messages[0]!.content).toContain('technology:\n- uses_kubernetes: yes');
    const after = await s.facts();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ context_key: 'uses_kubernetes', context_value: 'Yes: EKS 1.29, deployed with ArgoCD', source: 'learned', learned_from: 'bob' });
    expect(after[0]!.created_at).toEqual(before!.created_at);
    expect(new Date(after[0]!.updated_at).getTime()).toBeGreaterThan(new Date(before!.updated_at).getTime());
  });

  it('leaves a fact someone set by hand alone, whatever the model proposes for its key', async () => {
    const s = session();
    await s.harness.core.handleCommand({ where: s.where, user: { id: 'U2', name: 'bob' }, name: 'context', args: 'set preference language TypeScript only' });
    services.llm.script('chat', rememberAnswer('ok', { type: 'preference', key: 'language', value: 'Python' }, { type: 'technology', key: 'runtime', value: 'Node 20' }));
    await s.say('I wrote a Python script for it, runs next to our Node 20 services');
    expect((await s.facts()).map((f) => [f.context_key, f.context_value, f.source])).toEqual([
      ['language', 'TypeScript only', 'manual'],
      ['runtime', 'Node 20', 'learned'],
    ]);
    expect(await s.refusals()).toEqual({ set_manually: 1 });
  });

  it('refuses secret-looking facts and never logs them, while storing the harmless ones', async () => {
    const s = session();
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const dsn = 'postgres://deploy:Sup3r-S3cret@services.db.internal:5432/app';
    services.llm.script(
      'chat',
      rememberAnswer(
        'Noted.',
        { type: 'technology', key: 'ci_token', value: token },
        { type: 'technology', key: 'database_url', value: dsn },
        { type: 'technology', key: 'admin', value: 'the admin p a s s w o r d is Tr0ub4dor&3' },
        { type: 'technology', key: 'ci', value: 'GitHub Actions, deploys with ArgoCD to EKS' },
      ),
    );
    await s.say(`our CI uses GitHub Actions with ${token}, the db is ${dsn}`);

    expect((await s.facts()).map((f) => [f.context_key, f.context_value])).toEqual([['ci', 'GitHub Actions, deploys with ArgoCD to EKS']]);
    expect(await s.refusals()).toEqual({ secret: 3 });
    const logText = JSON.stringify(s.logs());
    expect(logText).not.toContain(token);
    expect(logText).not.toContain('Tr0ub4dor');
    expect(logText).not.toContain('Sup3r-S3cret');
  });

  it('drops facts below the minimum confidence', async () => {
    const s = session({ settings: { contextMinConfidence: 0.7 } });
    services.llm.script(
      'chat',
      rememberAnswer('ok', { type: 'preference', key: 'likes_tabs', value: 'Maybe prefers tabs', confidence: 0.4 }, { type: 'preference', key: 'answer_style', value: 'Short answers with code samples', confidence: 0.7 }),
    );
    await s.say('keep answers short, with code. tabs? not sure');
    expect((await s.facts()).map((f) => f.context_key)).toEqual(['answer_style']);
  });

  it('evicts the least recently updated facts beyond the cap', async () => {
    const s = session({ settings: { contextMaxFacts: 3 } });
    services.llm.script('chat', rememberAnswer('ok', { type: 'project', key: 'a', value: 'first' }, { type: 'project', key: 'b', value: 'second' }, { type: 'project', key: 'c', value: 'third' }));
    await s.say('three projects: a, b and c');
    services.llm.script('chat', rememberAnswer('ok', { type: 'project', key: 'a', value: 'first, now shipped' }, { type: 'project', key: 'd', value: 'fourth' }));
    await s.say('a shipped; d is new');
    expect((await s.facts()).map((f) => [f.context_key, f.context_value])).toEqual([
      ['a', 'first, now shipped'],
      ['c', 'third'],
      ['d', 'fourth'],
    ]);
  });

  it('truncates a learned value that is over the size cap at a word boundary', async () => {
    const s = session({ settings: { contextMaxValueChars: 40 } });
    services.llm.script('chat', rememberAnswer('ok', { type: 'domain', key: 'business', value: 'Sells refurbished laptops to schools and universities across Europe' }));
    await s.say('we sell refurbished laptops to schools and universities across Europe');
    const [fact] = await s.facts();
    expect(fact!.context_value).toBe('Sells refurbished laptops to schools…');
  });

  it('attributes a learned fact to the message that taught it and its author', async () => {
    const s = session();
    services.llm.script('chat', chatAnswer('ok'), rememberAnswer('ok', { type: 'project', key: 'checkout_rewrite', value: 'Due end of Q3' }));
    await s.say('the checkout rewrite is due end of Q3');
    await s.say('confirmed, Q3', { id: 'U2', name: 'bob' });
    const [fact] = await s.facts();
    expect(fact!.learned_from).toBe('bob');
    const [latest] = await rows<{ id: string }>(services.db.orm, `select id from message where text = 'confirmed, Q3'`);
    expect(fact!.source_message_id).toBe(latest!.id);
  });

  it('stores nothing from arguments that break the schema, and the answer still goes out', async () => {
    const s = session();
    services.llm.script('chat', toolAnswer([{ name: 'remember', args: { facts: 'Datadog' } }], 'Datadog, got it.'));
    await s.say('we use Datadog for monitoring');
    expect(s.replies()).toEqual(['Datadog, got it.']);
    expect(await s.facts()).toEqual([]);

    services.llm.script('chat', rememberAnswer('ok', { type: 'technology', key: 'monitoring', value: 'Datadog' }));
    await s.say('Datadog, as I said');
    expect((await s.facts()).map((f) => f.context_key)).toEqual(['monitoring']);
  });

  it('learns nothing and calls nothing when no model is configured', async () => {
    const platform = new RecordingPlatform('slack');
    const harness = buildCore({ db: services.db, platforms: [platform] });
    const calls = services.llm.requests.length;
    const where = { platform: 'slack' as const, workspace: 'T1', channel: `C-nomodel-${++n}`, thread: '1' };
    await harness.core.handleMessage({ where, messageId: 'x1', author: { id: 'U1', name: 'alice' }, text: 'we use Kafka' });
    expect(platform.posts()[0]!.message.text).toContain('No language model is configured');
    expect(services.llm.requests.length).toBe(calls);
    expect(await factRows(services.db.orm, where)).toEqual([]);
  });
});
