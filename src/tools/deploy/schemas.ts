import { z } from "zod";

/** An app name: also its container's name and its volumes' prefix. */
export const AppName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,40}[a-z0-9]$/,
    "lower-case letters, digits and '-', starting with a letter (2–42 characters)",
  );

export const DeployAppInput = z.strictObject({
  template: z.string().min(1).max(64),
  name: AppName,
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  host: z.string().min(1).optional(),
  /** Pull the image when the host does not have it (the pull is then part of the approved call). */
  pull: z.boolean().optional(),
});
export type DeployAppInput = z.infer<typeof DeployAppInput>;

export const RemoveAppInput = z.strictObject({
  name: AppName,
  host: z.string().min(1).optional(),
  /** Keep the app's data volumes (default true); false deletes them too. */
  keep_data: z.boolean().optional(),
  /** Run the app's backup job first; nothing is removed if that backup fails. */
  backup_first: z.boolean().optional(),
});
export type RemoveAppInput = z.infer<typeof RemoveAppInput>;
