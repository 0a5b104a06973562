/** Tool call ids as they go into the transcript: the model's where unique, one of their own otherwise (call-ids.ts). */
import { withUniqueIds } from '../../../../src/core/agent/call-ids';
import type { ModelToolCall } from '../../../../src/core/ports/language-model';

const calls = (...ids: string[]): ModelToolCall[] => ids.map((id, i) => ({ id, name: `tool_${i}`, arguments: '{}' }));
const idsOf = (given: readonly ModelToolCall[]) => given.map((c) => c.id);

describe('call ids in the transcript', () => {
  test.each<[string, string[], string[], string[]]>([
    ['unique ids are kept as the model wrote them', ['call_a', 'call_b'], [], ['call_a', 'call_b']],
    ['a repeated id keeps its first use and numbers the rest', ['dup', 'dup', 'dup'], [], ['dup', 'dup_2', 'dup_3']],
    ['an empty id gets one of its own', ['', ''], [], ['call_1', 'call_2']],
    ["an id the run already used is not used again", ['call_0'], ['call_0'], ['call_0_2']],
    ["a new id avoids the model's own later ids", ['x', 'x', 'x_2'], [], ['x', 'x_3', 'x_2']],
    ['a new id avoids ids the run used', ['', 'y', 'y'], ['call_1', 'y_2'], ['call_2', 'y', 'y_3']],
  ])('%s', (_title, given, taken, expected) => {
    const out = withUniqueIds(calls(...given), taken);
    expect(idsOf(out)).toEqual(expected);
    expect(new Set([...taken, ...idsOf(out)]).size).toBe(taken.length + out.length);
  });

  test('only ids change: each call keeps its tool and arguments, in order', () => {
    const given: ModelToolCall[] = [
      { id: 'same', name: 'read_status', arguments: '{"service":"a"}' },
      { id: 'same', name: 'http_get', arguments: '{"url":"https://b"}' },
    ];
    expect(withUniqueIds(given)).toEqual([given[0], { ...given[1], id: 'same_2' }]);
  });
});
