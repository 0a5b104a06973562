import { riskOf } from '../../../src/mcp/mcp-risk';

describe('MCP tool risk', () => {
  it.each([
    // annotations, trusted, expected
    [undefined, true, { readOnly: false, destructive: true, idempotent: false }],
    [{ readOnlyHint: true }, true, { readOnly: true, destructive: false, idempotent: false }],
    [{ readOnlyHint: true }, false, { readOnly: false, destructive: true, idempotent: false }],
    [{ destructiveHint: false }, true, { readOnly: false, destructive: false, idempotent: false }],
    [{ destructiveHint: false, idempotentHint: true }, false, { readOnly: false, destructive: true, idempotent: false }],
    [{ destructiveHint: true, idempotentHint: true }, true, { readOnly: false, destructive: true, idempotent: true }],
  ])('reads %j from a server with trusted=%s as %j', (annotations, trusted, expected) => {
    expect(riskOf(annotations, trusted)).toEqual(expected);
  });
});
