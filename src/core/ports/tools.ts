import type { SourceLink } from '../model/card';
import type { ConversationRef, Person, ThreadRef } from '../model/conversation';
import type { OutboundFile } from '../model/outbound-file';
import type { ChatPlatform } from './chat-platform';

/** A step of a running action, as the tool reports it. */
export interface StepHandle {
  done(): void;
  fail(reason: string): void;
}

/** What a tool gets while it runs. */
export interface ToolContext {
  /** The agent run the call belongs to. */
  readonly runId: string;
  readonly where: ThreadRef;
  /** Who asked for the run: the person whose message (or command) started it. */
  readonly requestedBy: Person;
  /** The conversation's platform, paced like every post of the core: for a tool that sends a file or reads a channel. */
  readonly platform: ChatPlatform;
  /** Aborted on Cancel or on the action timeout; long work should check it between steps. */
  readonly signal: AbortSignal;
  /** Starts a named progress step; it shows on the edited progress message. */
  step(label: string): StepHandle;
}

export interface ToolOutput {
  /** Human-readable output; the platform shows a truncated summary, the database keeps it whole. */
  readonly text: string;
  /** What a message cannot show (an MCP image or binary resource): sent into the thread as files when the call ends. */
  readonly files?: readonly OutboundFile[];
}

export type ArgsCheck = { readonly ok: true; readonly args: Record<string, unknown> } | { readonly ok: false; readonly error: string };

/**
 * Something the agent may do. Built-in tools and MCP tools look the same to the core:
 * they check their own arguments and describe their risk with flags.
 */
export interface Tool {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments, shown to the model. */
  readonly inputJsonSchema: Record<string, unknown>;
  readonly destructive: boolean;
  readonly readOnly: boolean;
  /** Safe to run again after a crash mid-run. */
  readonly idempotent: boolean;
  /** Where the tool comes from, shown on the card, e.g. `built-in` or `mcp:github`. */
  readonly origin: string;
  checkArgs(args: unknown): ArgsCheck;
  /** What the action will touch, for the card ("deletes 47 rows in staging"). */
  preview?(args: Record<string, unknown>): string | undefined;
  /** What a call with these arguments reads (the URL `http_get` fetches), shown as its sources. Unset: nothing to name. */
  sources?(args: Record<string, unknown>): readonly SourceLink[];
  /** A warning about how the tool's risk was judged, for the card, e.g. that its MCP server is not trusted. */
  readonly caution?: string;
  execute(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolOutput>;
}

/** The tools available in a conversation; scopes (e.g. MCP servers per channel) apply here. */
export interface ToolCatalog {
  list(scope: ConversationRef): readonly Tool[];
  find(name: string, scope: ConversationRef): Tool | undefined;
  /** Tools that exist but are unavailable (e.g. an MCP server that failed to start), for /help. */
  unavailable(): readonly { name: string; reason: string }[];
}
