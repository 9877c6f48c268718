import { JarvisError } from "../../errors.ts";
import type { MemoryStore } from "../../memory/store.ts";
import type { ToolContext } from "../define-tool.ts";

/** The memory store from the injected clients, or a clear error where none is configured. */
export function memoryOf(ctx: ToolContext): MemoryStore {
  if (!ctx.clients.memory)
    throw new JarvisError("unavailable", "Long-term memory is not set up in this Jarvis");
  return ctx.clients.memory;
}

/** The policy target of a call on one memory: `mem_<n>` whichever way the id was written. */
export const memoryTarget = (input: { id: string }) =>
  /^\d+$/.test(input.id.trim()) ? `mem_${input.id.trim()}` : input.id.trim();
