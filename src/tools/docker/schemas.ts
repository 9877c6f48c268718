import { z } from "zod";
import { parseGrep, parseSince } from "./log-lines.ts";

/**
 * Input schemas for the Docker tools. Strict objects: an unknown field is an error the caller
 * sees, not something silently ignored (a model that invents `force` must learn it does nothing).
 */

/** A container name or id (or id prefix) as Docker accepts them; no leading "/". */
export const ContainerRef = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    "a container name or id: letters, digits, '_', '.' or '-', no leading '/'",
  );
export type ContainerRef = z.infer<typeof ContainerRef>;

/** A configured Docker host name; omitted means "search every host" or "the default host" per tool. */
export const HostName = z.string().min(1).max(64).optional();
export type HostName = z.infer<typeof HostName>;

export const ListHostsInput = z.strictObject({});
export type ListHostsInput = z.infer<typeof ListHostsInput>;

export const ListContainersInput = z.strictObject({
  host: HostName,
  all: z.boolean().default(true),
  stack: z.string().min(1).max(128).optional(),
});
export type ListContainersInput = z.infer<typeof ListContainersInput>;

/** `{container, host?}`: what every single-container tool takes. */
export const ContainerInput = z.strictObject({ container: ContainerRef, host: HostName });
export type ContainerInput = z.infer<typeof ContainerInput>;

const Since = z.union([
  z.number().nonnegative(),
  z.string().refine((value) => parseSince(value, 0) !== undefined, {
    message: 'a duration ("30s", "10m", "2h", "1d"), an ISO timestamp or unix seconds',
  }),
]);

const Grep = z
  .string()
  .min(1)
  .max(500)
  .superRefine((value, ctx) => {
    const parsed = parseGrep(value);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

export const ContainerLogsInput = z.strictObject({
  container: ContainerRef,
  host: HostName,
  tail: z.number().int().min(1).max(5000).default(100),
  since: Since.optional(),
  grep: Grep.optional(),
});
export type ContainerLogsInput = z.infer<typeof ContainerLogsInput>;

export const ContainerStatsInput = z.strictObject({ container: ContainerRef.optional(), host: HostName });
export type ContainerStatsInput = z.infer<typeof ContainerStatsInput>;

export const ListStacksInput = z.strictObject({ host: HostName });
export type ListStacksInput = z.infer<typeof ListStacksInput>;

/** Stop and restart: seconds Docker waits after SIGTERM before it kills. */
export const StopInput = z.strictObject({
  container: ContainerRef,
  host: HostName,
  timeout: z.number().int().min(0).max(600).optional(),
});
export type StopInput = z.infer<typeof StopInput>;

export const RemoveContainerInput = z.strictObject({
  container: ContainerRef,
  host: HostName,
  force: z.boolean().default(false),
  volumes: z.boolean().default(false),
});
export type RemoveContainerInput = z.infer<typeof RemoveContainerInput>;

export const PruneWhat = z.enum(["containers", "images", "volumes", "networks", "build_cache"]);
export type PruneWhat = z.infer<typeof PruneWhat>;

export const PruneInput = z
  .strictObject({
    what: PruneWhat,
    host: HostName,
    /** Only prune objects carrying this label (`key` or `key=value`); Docker's build cache has no labels. */
    label: z.string().min(1).max(256).optional(),
  })
  .refine((input) => !(input.label && input.what === "build_cache"), {
    message: "label cannot be used with what: build_cache (build cache entries carry no labels)",
    path: ["label"],
  });
export type PruneInput = z.infer<typeof PruneInput>;
