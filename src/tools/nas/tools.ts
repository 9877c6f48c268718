import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { JarvisError, toJarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import { defineTool } from "../define-tool.ts";
import { confine } from "../storage/confine.ts";
import type { NasClient } from "./client.ts";

const name = z.string().min(1).max(128);
/** A share or path inside one: no characters that smbclient's command language or a mount would treat specially. */
const smbPath = z
  .string()
  .max(4096)
  .regex(/^[^";\n\r\\*?<>|]*$/, 'no quotes, ";", "\\\\", wildcards or line breaks')
  .refine((p) => !p.split("/").includes(".."), 'no ".." segments');

function nasOf(ctx: ToolContext): NasClient {
  if (!ctx.clients.nas)
    throw new JarvisError("unavailable", "No NAS is configured (nas.devices in jarvis.yaml)");
  return ctx.clients.nas;
}

/** nas_status: reachability, shares and capacity per share; a NAS that is down is data, not an error. */
export const nasStatus = defineTool({
  name: "nas_status",
  title: "NAS status",
  description:
    "Shows whether a NAS answers over SMB, its shares, and the size, free space and percent used of each disk share. Without nas, the first configured NAS.",
  input: z.strictObject({ nas: name.optional() }),
  risk: "read",
  idempotent: true,
  target: (input) => input.nas,
  async run(input, ctx) {
    const client = nasOf(ctx);
    const nas = client.get(input.nas);
    const base = { nas: nas.name, host: nas.host, port: nas.port };
    try {
      const shares = await client.smb.shares(nas, ctx.signal);
      const disks = await Promise.all(
        shares
          .filter((s) => s.type === "Disk")
          .map(async (s) => ({
            name: s.name,
            comment: s.comment,
            ...((await client.smb.capacity(nas, s.name, ctx.signal).catch(() => undefined)) ?? {}),
          })),
      );
      return { ...base, reachable: true, shares: disks };
    } catch (error) {
      const e = toJarvisError(error);
      if (e.code === "unavailable" || e.code === "denied")
        return { ...base, reachable: e.code === "denied", error: e.message, shares: [] };
      throw e;
    }
  },
});

/** nas_list_files: one directory of a share. */
export const nasListFiles = defineTool({
  name: "nas_list_files",
  title: "List NAS files",
  description:
    "Lists files and folders in a NAS share (at path inside it), with sizes and modification times.",
  input: z.strictObject({ share: smbPath.pipe(name), path: smbPath.optional(), nas: name.optional() }),
  risk: "read",
  idempotent: true,
  target: (input) => input.share,
  async run(input, ctx) {
    const client = nasOf(ctx);
    const nas = client.get(input.nas);
    const entries = await client.smb.list(nas, input.share, input.path ?? "", ctx.signal);
    return {
      nas: nas.name,
      share: input.share,
      path: input.path ?? "/",
      entries: entries.slice(0, 500),
      ...(entries.length > 500 ? { notListed: entries.length - 500 } : {}),
    };
  },
});

/** Whether this kernel can mount CIFS at all (a container or kernel without the module cannot). */
export function kernelHasCifs(filesystems = "/proc/filesystems"): boolean {
  try {
    return /\bcifs\b|\bsmb3\b/.test(readFileSync(filesystems, "utf8"));
  } catch {
    return false;
  }
}

export const noCifsMessage =
  "This kernel has no CIFS support, so SMB shares cannot be mounted here (inside a container, mount on the host instead; on a full Linux host, install cifs-utils and load the cifs module with modprobe cifs)";

/** nas_mount: mount.cifs with a credentials file (mode 0600) that is deleted before the call returns. */
export const nasMount = defineTool({
  name: "nas_mount",
  title: "Mount NAS share",
  description:
    "Mounts a NAS share (SMB) on the Jarvis host at mountpoint (default <nas.mountBase>/<share>), under nas.mountBase only.",
  input: z.strictObject({
    share: smbPath.pipe(name),
    mountpoint: z.string().min(1).max(4096).optional(),
    nas: name.optional(),
  }),
  risk: "write",
  target: (input) => input.share,
  async run(input, ctx) {
    const client = nasOf(ctx);
    const nas = client.get(input.nas);
    const mountpoint = confine(
      input.mountpoint ?? join(client.mountBase, input.share),
      [client.mountBase],
      "mountpoint",
    );
    if (!kernelHasCifs()) throw new JarvisError("unavailable", noCifsMessage);
    const dir = await mkdtemp(join(tmpdir(), "jarvis-cifs-"));
    try {
      const credentials = join(dir, "credentials");
      const password = nas.username
        ? await client.secrets.require(nas.passwordSecret ?? `nas/${nas.name}`)
        : undefined;
      await writeFile(
        credentials,
        nas.username
          ? `username=${nas.username}\npassword=${password!.reveal()}\n`
          : "username=guest\npassword=\n",
        { mode: 0o600 },
      );
      await chmod(credentials, 0o600);
      await mkdir(mountpoint, { recursive: true });
      await client.run(
        "mount.cifs",
        [`//${nas.host}/${input.share}`, mountpoint, "-o", `credentials=${credentials},port=${nas.port}`],
        {
          timeoutMs: 60_000,
          signal: ctx.signal,
          redact: password ? [password.reveal()] : [],
        },
      );
      return { nas: nas.name, share: input.share, mountpoint, mounted: true };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

/** nas_unmount: umount of a mount under nas.mountBase. */
export const nasUnmount = defineTool({
  name: "nas_unmount",
  title: "Unmount NAS share",
  description: "Unmounts a NAS share mounted on the Jarvis host (under nas.mountBase).",
  input: z.strictObject({ mountpoint: z.string().min(1).max(4096) }),
  risk: "write",
  target: (input) => input.mountpoint,
  async run(input, ctx) {
    const client = nasOf(ctx);
    const mountpoint = confine(input.mountpoint, [client.mountBase], "mountpoint");
    if (!existsSync(mountpoint))
      throw new JarvisError("not_found", `Nothing is mounted at ${input.mountpoint}`);
    await client.run("umount", [mountpoint], { timeoutMs: 60_000, signal: ctx.signal });
    return { mountpoint, unmounted: true };
  },
});

export const nasTools = [nasStatus, nasListFiles, nasMount, nasUnmount];
