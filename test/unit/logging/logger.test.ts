import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes JSON lines with the object first and the message under msg', () => {
    const { log, lines } = capture();
    log.child({ requestId: 'r1' }).info({ platform: 'slack' }, 'request approved');
    expect(lines()[0]).toMatchObject({ requestId: 'r1', platform: 'slack', msg: 'request approved', level: 30 });
  });

  it('redacts tokens, keys and signing secrets wherever they appear', () => {
    const { log, lines } = capture();
    log.info(
      {
        token: 'xoxb-secret',
        config: { slack: { botToken: 'xoxb-1', signingSecret: 'shh' }, llm: { apiKey: 'sk-1' }, discord: { token: 'd' } },
        headers: { authorization: 'Bearer abc' },
      },
      'starting',
    );
    const text = JSON.stringify(lines()[0]);
    for (const secret of ['xoxb-secret', 'xoxb-1', 'shh', 'sk-1', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it("redacts a card's token, on a click's origin or a request", () => {
    const { log, lines } = capture();
    log.warn({ origin: { via: 'click', messageId: '1.5', cardToken: 'card-secret-1' }, cardToken: 'card-secret-2' }, 'decision from outside its request refused');
    const text = JSON.stringify(lines()[0]);
    expect(text).not.toMatch(/card-secret/);
    expect(text).toContain('1.5');
  });
});
