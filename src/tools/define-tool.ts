import { z } from 'zod';
import type { SourceLink } from '../core/model/card';
import type { Tool, ToolContext, ToolOutput } from '../core/ports/tools';

/** What a built-in tool declares; {@link defineTool} turns it into a {@link Tool}. */
export interface ToolDefinition<S extends z.ZodObject> {
  name: string;
  description: string;
  input: S;
  /** Default false. */
  destructive?: boolean;
  /** Default false. */
  readOnly?: boolean;
  /** Default false: a crashed run of this tool is failed, not retried. */
  idempotent?: boolean;
  preview?(args: z.infer<S>): string | undefined;
  /** What a call reads, shown as its sources (see Tool.sources). */
  sources?(args: z.infer<S>): readonly SourceLink[];
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** Builds a tool whose arguments are checked by a zod schema and shown to the model as JSON Schema. */
export function defineTool<S extends z.ZodObject>(def: ToolDefinition<S>): Tool {
  const inputJsonSchema = z.toJSONSchema(def.input, { io: 'input' }) as Record<string, unknown>;
  return {
    name: def.name,
    description: def.description,
    inputJsonSchema,
    destructive: def.destructive ?? false,
    readOnly: def.readOnly ?? false,
    idempotent: def.idempotent ?? false,
    origin: 'built-in',
    checkArgs(args) {
      const parsed = def.input.safeParse(args);
      if (parsed.success) return { ok: true, args: parsed.data as Record<string, unknown> };
      return { ok: false, error: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
    },
    preview: def.preview ? (args) => def.preview!(args as z.infer<S>) : undefined,
    sources: def.sources ? (args) => def.sources!(args as z.infer<S>) : undefined,
    execute: (args, ctx) => def.execute(args as z.infer<S>, ctx),
  };
}
