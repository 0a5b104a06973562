import type { ModelToolCall } from '../ports/language-model';

/** The stem of an id given to a call the model sent without one. */
const NO_ID = 'call';

/**
 * The model's calls with ids unique in the run's transcript: each result goes back under its
 * call's id, and a repeated id would be sent back repeated, which an endpoint may refuse. A
 * call keeps the model's id unless it is empty or already `taken` (by an earlier call of this
 * answer, or of the run); it then gets the first free `<id>_2`, `<id>_3`... (`call_1`... for no id).
 * Applied before the calls are stored, so a transcript rebuilt from the rows agrees.
 */
export function withUniqueIds(calls: readonly ModelToolCall[], taken: Iterable<string> = []): ModelToolCall[] {
  const before = new Set(taken);
  // A new id avoids every id of the answer too, so no call's own id is taken from it later.
  const used = new Set([...before, ...calls.map((c) => c.id)]);
  const kept = new Set<string>();
  return calls.map((call) => {
    if (call.id && !before.has(call.id) && !kept.has(call.id)) {
      kept.add(call.id);
      return call;
    }
    const id = call.id ? freeId(call.id, 2, used) : freeId(NO_ID, 1, used);
    used.add(id);
    return { ...call, id };
  });
}

function freeId(stem: string, from: number, used: ReadonlySet<string>): string {
  let n = from;
  while (used.has(`${stem}_${n}`)) n++;
  return `${stem}_${n}`;
}
