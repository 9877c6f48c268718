import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { kernelHasCifs, noCifsMessage } from "../src/tools/nas/tools.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";
import { type Samba, startSamba } from "./helpers/samba.ts";
import { okResult as ok, refusal } from "./helpers/tool-calls.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

describe("NAS tools against a real smbd on loopback", () => {
  let samba: Samba;
  let jarvis: Jarvis;

  beforeAll(async () => {
    samba = await startSamba();
    const downPort = await freePort();
    jarvis = await createTestJarvis({
      config: testConfig({
        policy: { rules: [{ tool: "nas_*", action: "allow" }] },
        nas: {
          mountBase: "/tmp/jarvis-nas-mounts",
          devices: [
            { name: "nas326", host: "127.0.0.1", port: samba.port },
            { name: "locked", host: "127.0.0.1", port: samba.port, username: "alice" },
            { name: "down", host: "127.0.0.1", port: downPort },
            { name: "private", host: "127.0.0.1", port: samba.port, username: samba.user.name },
          ],
        },
      }),
    });
    await jarvis.clients.secrets!.put("nas/locked", "not-alices-password");
    await jarvis.clients.secrets!.put("nas/private", samba.user.password);
  });
  afterAll(async () => {
    await jarvis?.close();
    await samba?.stop();
  });

  it("reports reachability, shares and capacity", async () => {
    const status = await ok<{
      reachable: boolean;
      shares: Array<{ name: string; comment: string; sizeBytes?: number }>;
    }>(jarvis, "nas_status", {});
    expect(status.reachable).toBe(true);
    const media = status.shares.find((s) => s.name === "media");
    expect(media?.comment).toBe("Media library");
    expect(media?.sizeBytes).toBeGreaterThan(0);
  });

  it("lists files in a share and a folder", async () => {
    const root = await ok<{ entries: Array<{ name: string; type: string; sizeBytes: number }> }>(
      jarvis,
      "nas_list_files",
      {
        share: "media",
      },
    );
    expect(root.entries.map((e) => [e.name, e.type]).sort()).toEqual([
      ["movies", "directory"],
      ["readme.txt", "file"],
    ]);
    const movies = await ok<{ entries: Array<{ name: string; sizeBytes: number }> }>(
      jarvis,
      "nas_list_files",
      {
        share: "media",
        path: "movies",
      },
    );
    expect(movies.entries).toEqual([
      expect.objectContaining({ name: "big-buck-bunny.mkv", sizeBytes: 123_456 }),
    ]);
    expect(
      (await refusal(jarvis.runTool({ tool: "nas_list_files", args: { share: "nope" } }, api))).code,
    ).toBe("not_found");
    const injected = await refusal(
      jarvis.runTool({ tool: "nas_list_files", args: { share: "media", path: 'x"; rm y' } }, api),
    );
    expect(injected.code).toBe("invalid_input");
  });

  it("a wrong password and a host that is down are clear", async () => {
    const denied = await refusal(
      jarvis.runTool({ tool: "nas_list_files", args: { share: "media", nas: "locked" } }, api),
    );
    expect(denied.message).toMatch(/refused the credentials/);
    expect(denied.message).not.toContain("not-alices-password");
    const down = await ok<{ reachable: boolean; error: string }>(jarvis, "nas_status", { nas: "down" });
    expect(down).toMatchObject({ reachable: false, error: expect.stringMatching(/unreachable/) });
  });

  it("opens a password share with the password from the secret store, which never shows", async () => {
    const files = await ok<{ entries: Array<{ name: string }> }>(jarvis, "nas_list_files", {
      share: "backups",
      nas: "private",
    });
    expect(files.entries.map((e) => e.name)).toEqual(["restic-config-example"]);
    // The guest cannot, and the right user with another device's wrong password cannot either.
    const guest = await refusal(jarvis.runTool({ tool: "nas_list_files", args: { share: "backups" } }, api));
    expect(guest.message).toMatch(/refused|denied/i);
    const audit = await jarvis.audit.list({ tool: "nas_list_files" });
    expect(JSON.stringify([files, audit])).not.toContain(samba.user.password);
  });

  it("nas_mount fails cleanly where the kernel has no CIFS, and stays under the mount base", async () => {
    const outside = await refusal(
      jarvis.runTool({ tool: "nas_mount", args: { share: "media", mountpoint: "/etc/x" } }, api),
    );
    expect(outside.message).toMatch(/outside the allowed roots/);
    const mount = await refusal(jarvis.runTool({ tool: "nas_mount", args: { share: "media" } }, api));
    if (!kernelHasCifs()) expect(mount.message).toBe(noCifsMessage);
    else expect(mount.message).toMatch(/mount\.cifs/);
  });
});
