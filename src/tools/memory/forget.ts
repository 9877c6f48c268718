import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { MemoryId } from "./schemas.ts";
import { memoryOf, memoryTarget } from "./store.ts";

export const ForgetInput = z.strictObject({ id: MemoryId });
export type ForgetInput = z.infer<typeof ForgetInput>;

/** memory_forget: deletes one memory. */
export const memoryForget = defineTool({
  name: "memory_forget",
  title: "Forget",
  description: "Deletes one remembered item by its id (from memory_recall).",
  input: ForgetInput,
  risk: "write",
  target: memoryTarget,
  run: async (input, ctx) => {
    const memory = await memoryOf(ctx).forget(input.id);
    return { forgotten: { id: memory.id, text: memory.text } };
  },
});
