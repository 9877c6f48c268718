import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for the storage toolset: filesystems, Docker's disk use, directory sizes, cleanup. */
export const storageTools = [
  standIn({
    name: "storage_disk_usage",
    title: "Disk usage",
    description:
      "Lists mounted filesystems with size, used and free bytes and percent used (like df). With path, only the filesystem that holds that path. Use it for 'how full is the disk' questions.",
    input: z.strictObject({ path: name(4096).optional().describe("a path; the filesystem holding it") }),
    risk: "read",
    target: (input) => input.path,
  }),
  standIn({
    name: "storage_docker_usage",
    title: "Docker disk usage",
    description:
      "Shows how much disk Docker uses on a host (images, containers, volumes, build cache), with how much of each is reclaimable by pruning (like docker system df).",
    input: z.strictObject({ host: name(64).optional() }),
    risk: "read",
    target: (input) => input.host,
  }),
  standIn({
    name: "storage_dir_size",
    title: "Directory sizes",
    description:
      "Measures a directory and its biggest subdirectories down to depth levels (default 1), like du. Use it to find what fills a disk.",
    input: z.strictObject({
      path: name(4096),
      depth: z.number().int().min(0).max(5).optional(),
    }),
    risk: "read",
    target: (input) => input.path,
  }),
  standIn({
    name: "storage_cleanup_plan",
    title: "Cleanup plan",
    description:
      "Proposes what could be deleted to free space (unused images and volumes, old logs, caches, downloads already imported), with the bytes each would free and the tool call that would do it. Changes nothing.",
    input: z.strictObject({}),
    risk: "read",
  }),
];
