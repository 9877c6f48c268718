import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

const scope = z.string().min(1).max(64).describe("e.g. global, a host, a container, a person");

/** Stand-ins for the memory toolset. */
export const memoryTools = [
  standIn({
    name: "memory_recall",
    title: "Recall",
    description:
      "Searches what Jarvis has been told or learned (facts, preferences, past incidents and fixes) for query, best matches first.",
    input: z.strictObject({
      query: name(1000),
      scope: scope.optional(),
      limit: z.number().int().min(1).max(50).optional(),
    }),
    risk: "read",
  }),
  standIn({
    name: "memory_remember",
    title: "Remember",
    description:
      "Stores a fact or preference the owner wants Jarvis to keep (kind: fact, preference, procedure…).",
    input: z.strictObject({
      text: z.string().min(1).max(4000),
      scope: scope.optional(),
      kind: z.string().min(1).max(64).optional(),
    }),
    risk: "write",
  }),
  standIn({
    name: "memory_forget",
    title: "Forget",
    description: "Deletes one remembered item by its id (from memory_recall).",
    input: z.strictObject({ id: name(128) }),
    risk: "write",
    target: (input) => input.id,
  }),
];
