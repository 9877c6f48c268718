import { z } from "zod";

/** What a memory is about. */
export const MemoryKind = z.enum(["fact", "preference", "incident", "runbook", "summary"]);
export type MemoryKind = z.infer<typeof MemoryKind>;

export const ScopeType = z.enum(["global", "host", "service", "entity", "user"]);
export type ScopeType = z.infer<typeof ScopeType>;

/** Where a memory applies: everywhere, or to one host, service/container, entity or user. */
export interface Scope {
  type: ScopeType;
  value: string | null;
}

/** Where a memory came from (a conversation, an incident, a tool, the API, an import). */
export interface MemorySource {
  type: string;
  id?: string;
}

/** A memory as the store returns it. `id` is `mem_<n>`. */
export interface Memory {
  id: string;
  text: string;
  kind: MemoryKind;
  scope: string;
  source: MemorySource | null;
  createdAt: string;
  updatedAt: string;
  validFrom: string;
  validTo: string | null;
  expiresAt: string | null;
  accessCount: number;
  lastAccessedAt: string | null;
  /** Search results only: the fused rank score (higher is better). */
  score?: number;
}
