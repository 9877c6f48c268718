import { z } from "zod";
import { MemoryKind } from "../../memory/types.ts";

export const Scope = z
  .string()
  .min(1)
  .max(128)
  .describe(
    "global, host:<name>, service:<name>, entity:<id>, user:<name>, or a bare service/container name",
  );

export const Kind = MemoryKind.describe(
  "fact (default), preference, incident (what was wrong and what fixed it), runbook (how to do something), summary",
);

export const MemoryId = z.string().min(1).max(128).describe("a memory id from memory_recall, e.g. mem_12");
