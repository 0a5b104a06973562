/**
 * `/policy` in the console, through the real console adapter and core over Postgres: the
 * console's one user sets a rule, which is stored with who and when, and `!run` then runs the
 * tool without a card.
 */
import { PassThrough, Writable } from 'node:stream';
import { ConsoleAdapter } from '../../../src/adapters/console/console-adapter';
import { buildCore } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();

/** Types `lines` into a console chat over the real core; everything the terminal showed. */
async function chat(lines: string[]): Promise<string> {
  let shown = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      shown += chunk.toString();
      done();
    },
  });
  const input = new PassThrough();
  const adapter = new ConsoleAdapter({ input, output, user: { id: 'ann', name: 'Ann' }, interactive: false });
  const harness = buildCore({ db: services.db, platforms: [adapter], openAiBaseUrl: services.llm.baseUrl });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await adapter.run(harness.core);
  await harness.queue.drain();
  return shown;
}

test('/policy allow stores a channel rule with who set it, lists it, and !run then runs without a card', async () => {
  const shown = await chat(['/policy allow countdown', '/policy', '/run countdown {"steps":1,"delayMs":0}']);

  expect(shown).toContain('@Ann let `countdown` run without asking in this channel.');
  expect(shown).toMatch(/`countdown`: runs without asking \(channel, Ann \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
  expect(shown).toContain('Lift-off after 1 steps.');
  expect(shown).not.toContain('Approval needed');
  expect(await rows(services.db.orm, `select tool, run, set_by_id, channel_id from policy_rule`)).toEqual([{ tool: 'countdown', run: 'auto', set_by_id: 'ann', channel_id: expect.any(String) }]);
});
