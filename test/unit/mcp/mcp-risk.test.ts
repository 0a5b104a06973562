import { distrustCaution, riskOf } from '../../../src/mcp/mcp-risk';

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

describe('the caution on an MCP tool', () => {
  it.each([
    [{ readOnlyHint: true }, false, 'from MCP server "x", which is not trusted: its hint that this tool is read-only is ignored, so it counts as destructive'],
    [{ destructiveHint: false }, false, 'from MCP server "x", which is not trusted: its hint that this tool is not destructive is ignored, so it counts as destructive'],
    [{ readOnlyHint: true }, true, undefined],
    [{ destructiveHint: true, idempotentHint: true }, false, undefined],
    [undefined, false, undefined],
  ])('for %j from a server with trusted=%s is %j', (annotations, trusted, expected) => {
    expect(distrustCaution(annotations, trusted, 'x')).toBe(expected);
  });
});
