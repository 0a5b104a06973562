import { openOrm } from '../../../src/db/orm';
import type { ExtractionSettings } from '../../../src/core/context/context-extractor';
import type { CoreSettings } from '../../../src/core/core-deps';
import { chatAnswer } from '../../fakes/fake-openai';
import { buildCore, memoryLogger } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { RecordingPlatform } from '../../support/recording-platform';
import { type TestDatabase } from '../../support/test-database';
import { factRows, factsAnswer, quietFallback, until } from './context-support';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();
beforeAll(() => {
  quietFallback(services.llm);
});

let n = 0;
/** A fresh channel with a core that learns context; `orm` lets a test build a second core after a "restart". */
function session(options: { channel?: string; orm?: TestDatabase['orm']; settings?: Partial<CoreSettings>; extract?: Partial<ExtractionSettings> } = {}) {
  const platform = new RecordingPlatform('slack');
  const memory = memoryLogger();
  const harness = buildCore({
    orm: options.orm ?? services.db.orm,
    platforms: [platform],
    openAiBaseUrl: services.llm.baseUrl,
    settings: options.settings,
    extractContext: options.extract ?? true,
    log: memory.log,
  });
  const where = { platform: 'slack' as const, workspace: 'T1', channel: options.channel ?? `C-learn-${++n}`, thread: '100.1' };
  const say = (text: string, author = { id: 'U1', name: 'alice' }) =>
    harness.core.handleMessage({ where, messageId: `${Date.now()}.${Math.random()}`, author, text });
  const extractionsSoFar = services.llm.requestsFor('context_extraction').length;
  const extractions = () => services.llm.requestsFor('context_extraction').slice(extractionsSoFar);
  return { platform, harness, where, say, extractions, facts: () => factRows(services.db.orm, where), logs: memory.lines, extractor: harness.extractor! };
}

describe('learning context from conversations', () => {
  it('remembers a fact learned in one session in the prompt of a later session after a restart', async () => {
    const first = session();
    services.llm.script('chat', chatAnswer('Good to know.'));
    services.llm.script('context_extraction', factsAnswer({ type: 'technology', key: 'uses_kubernetes', value: 'Runs production on Kubernetes (EKS)' }));
    await first.say('we run production on EKS');
    await first.extractor.idle();
    expect(first.extractions()[0]!.prompt).toContain('alice: we run production on EKS');

    const orm = await openOrm(services.db.url, 2);
    try {
      const second = session({ channel: first.where.channel, orm });
      services.llm.script('chat', chatAnswer('Use a Helm chart.'));
      await second.say('how should we ship the new service?');
      const intentPrompt = services.llm.requestsFor('chat').at(-1)!.body.messages[0]!.content;
      expect(intentPrompt).toContain('technology:\n- uses_kubernetes: Runs production on Kubernetes (EKS)');
      expect(second.platform.posts().map((p) => p.message.text)).toEqual(['Use a Helm chart.']);
      await second.extractor.idle();
    } finally {
      await orm.close(true);
    }
  });

  it('updates a fact in place under its normalised key, keeping when it was first learned', async () => {
    const s = session();
    services.llm.script('context_extraction', factsAnswer({ type: 'technology', key: 'uses_kubernetes', value: 'yes' }));
    await s.say('we use kubernetes');
    await s.extractor.idle();
    const [before] = await s.facts();

    services.llm.script('context_extraction', factsAnswer({ type: 'technology', key: 'Uses Kubernetes', value: 'Yes: EKS 1.29, deployed with ArgoCD' }));
    await s.say('EKS 1.29 by the way, and ArgoCD deploys it', { id: 'U2', name: 'bob' });
    await s.extractor.idle();

    expect(s.extractions()[1]!.prompt).toContain('KNOWN facts:\n- [technology] uses_kubernetes: yes');
    const after = await s.facts();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ context_key: 'uses_kubernetes', context_value: 'Yes: EKS 1.29, deployed with ArgoCD', source: 'learned', learned_from: 'bob' });
    expect(after[0]!.created_at).toEqual(before!.created_at);
    expect(new Date(after[0]!.updated_at).getTime()).toBeGreaterThan(new Date(before!.updated_at).getTime());
  });

  it('leaves a fact someone set by hand alone, whatever extraction proposes for its key', async () => {
    const s = session();
    await s.harness.core.handleCommand({ where: s.where, user: { id: 'U2', name: 'bob' }, name: 'context', args: 'set preference language TypeScript only' });
    services.llm.script('context_extraction', factsAnswer({ type: 'preference', key: 'language', value: 'Python' }, { type: 'technology', key: 'runtime', value: 'Node 20' }));
    await s.say('I wrote a Python script for it, runs next to our Node 20 services');
    await s.extractor.idle();
    expect(s.extractions()[0]!.prompt).toContain('- [preference, set by hand: keep as is] language: TypeScript only');
    expect((await s.facts()).map((f) => [f.context_key, f.context_value, f.source])).toEqual([
      ['language', 'TypeScript only', 'manual'],
      ['runtime', 'Node 20', 'learned'],
    ]);
  });

  it('refuses secret-looking facts and never logs them, while storing the harmless ones', async () => {
    const s = session();
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const dsn = 'postgres://deploy:Sup3r-S3cret@services.db.internal:5432/app';
    services.llm.script(
      'context_extraction',
      factsAnswer(
        { type: 'technology', key: 'ci_token', value: token },
        { type: 'technology', key: 'database_url', value: dsn },
        { type: 'technology', key: 'ci', value: 'GitHub Actions, deploys with ArgoCD to EKS' },
      ),
    );
    await s.say(`our CI uses GitHub Actions with ${token}, the db is ${dsn}`);
    await s.extractor.idle();

    expect((await s.facts()).map((f) => [f.context_key, f.context_value])).toEqual([['ci', 'GitHub Actions, deploys with ArgoCD to EKS']]);
    const extracted = s.logs().find((l) => l.msg === 'context extracted')!;
    expect(extracted.rejected).toEqual([
      { key: 'ci_token', reason: 'secret', secretKind: 'GitHub token' },
      { key: 'database_url', reason: 'secret', secretKind: 'URL with credentials' },
    ]);
    const logText = JSON.stringify(s.logs());
    expect(logText).not.toContain(token);
    expect(logText).not.toContain('Sup3r-S3cret');
  });

  it('drops facts below the minimum confidence', async () => {
    const s = session({ extract: { minConfidence: 0.7 } });
    services.llm.script(
      'context_extraction',
      factsAnswer({ type: 'preference', key: 'likes_tabs', value: 'Maybe prefers tabs', confidence: 0.4 }, { type: 'preference', key: 'answer_style', value: 'Short answers with code samples', confidence: 0.7 }),
    );
    await s.say('keep answers short, with code. tabs? not sure');
    await s.extractor.idle();
    expect((await s.facts()).map((f) => f.context_key)).toEqual(['answer_style']);
  });

  it('evicts the least recently updated facts beyond the cap', async () => {
    const s = session({ settings: { contextMaxFacts: 3 } });
    services.llm.script('context_extraction', factsAnswer({ type: 'project', key: 'a', value: 'first' }, { type: 'project', key: 'b', value: 'second' }, { type: 'project', key: 'c', value: 'third' }));
    await s.say('three projects: a, b and c');
    await s.extractor.idle();
    services.llm.script('context_extraction', factsAnswer({ type: 'project', key: 'a', value: 'first, now shipped' }, { type: 'project', key: 'd', value: 'fourth' }));
    await s.say('a shipped; d is new');
    await s.extractor.idle();
    expect((await s.facts()).map((f) => [f.context_key, f.context_value])).toEqual([
      ['a', 'first, now shipped'],
      ['c', 'third'],
      ['d', 'fourth'],
    ]);
  });

  it('truncates a learned value that is over the size cap at a word boundary', async () => {
    const s = session({ settings: { contextMaxValueChars: 40 } });
    services.llm.script('context_extraction', factsAnswer({ type: 'domain', key: 'business', value: 'Sells refurbished laptops to schools and universities across Europe' }));
    await s.say('we sell refurbished laptops to schools and universities across Europe');
    await s.extractor.idle();
    const [fact] = await s.facts();
    expect(fact!.context_value).toBe('Sells refurbished laptops to schools…');
  });

  it('sends the reply before extraction finishes, and later replies do not wait for it either', async () => {
    const s = session();
    services.llm.script('context_extraction', { ...factsAnswer({ type: 'technology', key: 'iac', value: 'Terraform with Atlantis' }), delayMs: 1000 });
    services.llm.script('chat', chatAnswer('Terraform, nice.'), chatAnswer('Atlantis too, noted.'));
    await s.say('all our infra is Terraform');
    expect(s.platform.posts().map((p) => p.message.text)).toEqual(['Terraform, nice.']);

    await until(() => s.extractions().length === 1, 'the extraction call to start');
    await s.say('and plans go through Atlantis');
    expect(s.platform.posts().map((p) => p.message.text)).toEqual(['Terraform, nice.', 'Atlantis too, noted.']);
    expect(await s.facts()).toEqual([]);

    await s.extractor.idle();
    expect((await s.facts()).map((f) => f.context_value)).toEqual(['Terraform with Atlantis']);
  });

  it('batches messages that arrive quickly into one extraction, then extracts only what is new', async () => {
    const s = session({ extract: { quietMs: 500 } });
    await s.say('we are the payments team');
    await s.say('our API is written in Go', { id: 'U2', name: 'bob' });
    await s.say('and we deploy on Fridays, sadly');
    await s.extractor.idle();
    expect(s.extractions()).toHaveLength(1);
    const batch = s.extractions()[0]!.prompt;
    expect(batch).toMatch(/NEW messages:\nalice: we are the payments team\nSwitchboard: ok\nbob: our API is written in Go\nSwitchboard: ok\nalice: and we deploy on Fridays, sadly/);

    await s.say('we moved to Rust last month');
    await s.extractor.idle();
    expect(s.extractions()).toHaveLength(2);
    const next = s.extractions()[1]!.prompt;
    expect(next).toMatch(/EARLIER messages \(context only\):\nalice: we are the payments team[\s\S]*NEW messages:\nalice: we moved to Rust last month\nSwitchboard: ok$/);
  });

  it('attributes a batch with several authors to all of them and to the latest message', async () => {
    const s = session({ extract: { quietMs: 300 } });
    services.llm.script('context_extraction', factsAnswer({ type: 'project', key: 'checkout_rewrite', value: 'Due end of Q3' }));
    await s.say('the checkout rewrite is due end of Q3');
    await s.say('confirmed, Q3', { id: 'U2', name: 'bob' });
    await s.extractor.idle();
    const [fact] = await s.facts();
    expect(fact!.learned_from).toBe('alice, bob');
    const [latest] = await rows<{ id: string }>(services.db.orm, `select id from message where text = 'confirmed, Q3'`);
    expect(fact!.source_message_id).toBe(latest!.id);
  });

  it('logs a failed extraction and carries on with the next one', async () => {
    const s = session();
    services.llm.script('context_extraction', { status: 500 });
    await s.say('we use Datadog for monitoring');
    await s.extractor.idle();
    expect(s.platform.posts()).toHaveLength(1);
    expect(s.logs().some((l) => l.msg === 'context extraction failed; these turns are skipped')).toBe(true);

    services.llm.script('context_extraction', factsAnswer({ type: 'technology', key: 'monitoring', value: 'Datadog' }));
    await s.say('Datadog, as I said');
    await s.extractor.idle();
    expect((await s.facts()).map((f) => f.context_key)).toEqual(['monitoring']);
  });

  it('learns nothing and calls nothing when no model is configured', async () => {
    const platform = new RecordingPlatform('slack');
    const harness = buildCore({ orm: services.db.orm, platforms: [platform], extractContext: true });
    const calls = services.llm.requests.length;
    const where = { platform: 'slack' as const, workspace: 'T1', channel: `C-nomodel-${++n}`, thread: '1' };
    await harness.core.handleMessage({ where, messageId: 'x1', author: { id: 'U1', name: 'alice' }, text: 'we use Kafka' });
    await harness.extractor!.idle();
    expect(platform.posts()[0]!.message.text).toContain('No language model is configured');
    expect(services.llm.requests.length).toBe(calls);
    expect(await factRows(services.db.orm, where)).toEqual([]);
  });
});
