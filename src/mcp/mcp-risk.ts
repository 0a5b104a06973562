import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/** The risk flags of an MCP tool, as the approval flow uses them. */
export interface McpRisk {
  readonly destructive: boolean;
  readonly readOnly: boolean;
  readonly idempotent: boolean;
}

/**
 * Risk from a tool's annotations. The MCP spec calls annotations hints that clients
 * must not rely on from untrusted servers, and `destructiveHint` defaults to true
 * (https://modelcontextprotocol.io/specification/2025-06-18/schema#toolannotations).
 * So only a trusted server can make a tool read-only, non-destructive or idempotent;
 * everything from an untrusted server is treated as destructive.
 */
export function riskOf(annotations: ToolAnnotations | undefined, trusted: boolean): McpRisk {
  const hints = trusted ? (annotations ?? {}) : {};
  const readOnly = hints.readOnlyHint === true;
  return {
    readOnly,
    destructive: !readOnly && hints.destructiveHint !== false,
    idempotent: hints.idempotentHint === true,
  };
}

/**
 * Why a tool counts as riskier than its own hints say, for the card's caution; undefined
 * when the hints are believed or would change nothing.
 */
export function distrustCaution(annotations: ToolAnnotations | undefined, trusted: boolean, server: string): string | undefined {
  if (trusted) return undefined;
  const claim = annotations?.readOnlyHint === true ? 'read-only' : annotations?.destructiveHint === false ? 'not destructive' : undefined;
  return claim && `from MCP server "${server}", which is not trusted: its hint that this tool is ${claim} is ignored, so it counts as destructive`;
}
