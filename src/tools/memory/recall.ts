import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { Scope } from "./schemas.ts";
import { memoryOf } from "./store.ts";

export const RecallInput = z.strictObject({
  query: z.string().min(1).max(1000),
  scope: Scope.optional(),
  limit: z.number().int().min(1).max(50).optional(),
});
export type RecallInput = z.infer<typeof RecallInput>;

/** memory_recall: hybrid search over long-term memory. */
export const memoryRecall = defineTool({
  name: "memory_recall",
  title: "Recall",
  description:
    "Searches what Jarvis has been told or learned (facts, preferences, past incidents and fixes, runbook notes) for query, best matches first. Only facts still valid are returned.",
  input: RecallInput,
  risk: "read",
  run: async (input, ctx) => {
    const memories = await memoryOf(ctx).recall({ ...input, limit: input.limit ?? 5, signal: ctx.signal });
    return {
      memories: memories.map(({ id, text, kind, scope, updatedAt, score }) => ({
        id,
        text,
        kind,
        scope,
        updated: updatedAt,
        score,
      })),
    };
  },
});
