import type { Memory } from "./types.ts";

/** The memory kinds the server accepts (src/memory/types.ts). */
export const kinds = ["fact", "preference", "incident", "runbook", "summary"] as const;

/** What `POST /api/memories` did, in words. */
export function rememberedWords(action: string, id: string): string {
  switch (action) {
    case "updated":
      return `Already known: updated the memory that said the same (${id}).`;
    case "superseded":
      return `Remembered (${id}); it replaces an older fact, which is kept as history.`;
    case "unchanged":
      return `Already known, nothing changed (${id}).`;
    default:
      return `Remembered (${id}).`;
  }
}

/** Where a memory came from, with a link when the console can show it. */
export function sourceOf(memory: Memory): { text: string; href?: string } | undefined {
  const source = memory.source;
  if (!source) return undefined;
  const id = source.id ?? "";
  if (source.type === "conversation" && id) return { text: "a conversation", href: `#/chat/${id}` };
  if (source.type === "incident" && id) return { text: "an incident", href: `#/incidents/${id}` };
  return { text: id ? `${source.type} (${id})` : source.type };
}
