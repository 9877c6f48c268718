import { z } from "zod";

/** Input schemas of the storage tools (strict: an unknown field is an error the caller sees). */

export const DiskUsageInput = z.strictObject({
  path: z.string().min(1).max(4096).optional().describe("a path; only the filesystem holding it"),
});
export type DiskUsageInput = z.infer<typeof DiskUsageInput>;

export const DockerUsageInput = z.strictObject({ host: z.string().min(1).max(64).optional() });
export type DockerUsageInput = z.infer<typeof DockerUsageInput>;

export const DirSizeInput = z.strictObject({
  path: z.string().min(1).max(4096).describe("an absolute path under the configured storage roots"),
  depth: z.number().int().min(0).max(5).optional().describe("levels of subdirectories to list (default 1)"),
});
export type DirSizeInput = z.infer<typeof DirSizeInput>;

export const CleanupPlanInput = z.strictObject({});
export type CleanupPlanInput = z.infer<typeof CleanupPlanInput>;
