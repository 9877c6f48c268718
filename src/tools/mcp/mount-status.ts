import type { Tool } from "../define-tool.ts";

/** How one mounted server is doing, for /healthz (never its headers or environment). */
export interface MountStatus {
  name: string;
  ok: boolean;
  tools: number;
  error?: string;
}

/** The tools of the mounted MCP servers, their status, and how to disconnect them. */
export interface Mounts {
  tools: Tool[];
  status(): MountStatus[];
  close(): Promise<void>;
}

/** No mounted servers (none configured, or an exact toolset was given). */
export const noMounts: Mounts = { tools: [], status: () => [], close: async () => {} };
