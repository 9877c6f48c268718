import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { Kind, MemoryId, Scope } from "./schemas.ts";
import { memoryOf, memoryTarget } from "./store.ts";

export const UpdateInput = z.strictObject({
  id: MemoryId,
  text: z.string().min(1).max(4000).optional(),
  kind: Kind.optional(),
  scope: Scope.optional(),
});
export type UpdateInput = z.infer<typeof UpdateInput>;

/** memory_update: corrects one memory's text, kind or scope. */
export const memoryUpdate = defineTool({
  name: "memory_update",
  title: "Update memory",
  description: "Corrects one remembered item (by its id from memory_recall): new text, kind or scope.",
  input: UpdateInput,
  risk: "write",
  target: memoryTarget,
  run: async ({ id, ...changes }, ctx) => {
    const memory = await memoryOf(ctx).update(id, changes);
    return { memory: { id: memory.id, text: memory.text, kind: memory.kind, scope: memory.scope } };
  },
});
