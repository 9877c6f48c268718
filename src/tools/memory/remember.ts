import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { Kind, Scope } from "./schemas.ts";
import { memoryOf } from "./store.ts";

export const RememberInput = z.strictObject({
  text: z.string().min(1).max(4000),
  scope: Scope.optional(),
  kind: Kind.optional(),
});
export type RememberInput = z.infer<typeof RememberInput>;

/** memory_remember: stores a memory, consolidating with what is already known. */
export const memoryRemember = defineTool({
  name: "memory_remember",
  title: "Remember",
  description:
    "Stores a fact, preference, incident outcome or runbook note the owner wants Jarvis to keep. A memory that says the same as an existing one updates it; a fact that contradicts an older one replaces it (the old one is kept as history). Never store secrets: store where they are kept instead.",
  input: RememberInput,
  risk: "write",
  run: async (input, ctx) => {
    const source = ctx.conversationId
      ? { type: "conversation", id: ctx.conversationId }
      : { type: ctx.source, id: ctx.principal.id };
    const { action, memory, previous } = await memoryOf(ctx).remember({ ...input, source }, ctx.signal);
    return {
      action,
      memory: { id: memory.id, text: memory.text, kind: memory.kind, scope: memory.scope },
      ...(previous ? { previous: { id: previous.id, text: previous.text, validTo: previous.validTo } } : {}),
    };
  },
});
