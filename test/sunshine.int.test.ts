import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { runProbes } from "../src/server/probes.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { refusal } from "./helpers/tool-calls.ts";
import { type SunshineSim, startSunshineSim } from "./sim/sunshine/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const PASSWORD = "sunshine-pass-7d2e";

/** A fresh self-signed certificate, as Sunshine makes on first start. */
async function selfSigned(dir: string, name: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  await promisify(execFile)("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "2",
    "-subj",
    "/CN=Sunshine Gamestream Host",
  ]);
  const pem = readFileSync(cert, "utf8");
  return { key: readFileSync(key, "utf8"), cert: pem, sha256: new X509Certificate(pem).fingerprint256 };
}

describe("the Sunshine toolset against the Sunshine simulator (HTTPS, pinned certificate)", () => {
  let dir: string;
  let sim: SunshineSim;
  let jarvis: Jarvis;
  let cert: Awaited<ReturnType<typeof selfSigned>>;
  let other: Awaited<ReturnType<typeof selfSigned>>;
  const env = (overrides: Record<string, string> = {}) => ({
    SUNSHINE_URL: sim.url,
    SUNSHINE_GAMESTREAM_URL: sim.gamestreamUrl,
    SUNSHINE_NAME: "gaming-pc",
    SUNSHINE_USER: "admin",
    SUNSHINE_PASSWORD: PASSWORD,
    SUNSHINE_CERT_SHA256: cert.sha256,
    ...overrides,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jarvis-sunshine-"));
    [cert, other] = await Promise.all([selfSigned(dir, "sunshine"), selfSigned(dir, "other")]);
    sim = await startSunshineSim({ user: "admin", password: PASSWORD, key: cert.key, cert: cert.cert });
    jarvis = await createTestJarvis({ config: testConfig({}, env()) });
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads status from /serverinfo, apps and paired clients over the pinned HTTPS API", async () => {
    sim.currentGame = 3;
    expect(await jarvis.runTool({ tool: "sunshine_status", args: {} }, api)).toMatchObject({
      status: "ok",
      result: {
        host: "gaming-pc",
        online: true,
        hostname: "gaming-pc",
        version: "7.1.431.-1",
        paired: false,
        state: "SUNSHINE_SERVER_BUSY",
        streaming: { appId: 3 },
      },
    });
    expect(await jarvis.runTool({ tool: "sunshine_list_apps", args: {} }, api)).toMatchObject({
      result: { apps: [{ name: "Desktop" }, { name: "Steam Big Picture" }, { name: "Cyberpunk 2077" }] },
    });
    expect(
      await jarvis.runTool({ tool: "sunshine_list_clients", args: { host: "gaming-pc" } }, api),
    ).toMatchObject({
      result: { clients: [{ name: "living-room-shield" }] },
    });
    const unknown = await refusal(
      jarvis.runTool({ tool: "sunshine_list_apps", args: { host: "htpc" } }, api),
    );
    expect(unknown).toMatchObject({
      code: "not_found",
      message: 'No Sunshine host "htpc"; configured: gaming-pc',
    });
    expect((await runProbes(jarvis)).media).toEqual([{ name: "sunshine gaming-pc", ok: true }]);
  });

  it("pairs by PIN after approval; a PIN no client waits for is a clear error", async () => {
    sim.pendingPin = "4821";
    const asked = await jarvis.runTool(
      { tool: "sunshine_pair_client", args: { pin: "4821", name: "bedroom-tv" } },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.target).toBe("bedroom-tv");
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({ status: "ok", result: { client: "bedroom-tv", paired: true } });
    expect(sim.clients.map((c) => c.name)).toEqual(["living-room-shield", "bedroom-tv"]);
    const again = await jarvis.runTool(
      { tool: "sunshine_pair_client", args: { pin: "9999", name: "x" } },
      api,
    );
    if (again.status !== "approval_required") throw new Error("expected an approval");
    const failed = await refusal(
      jarvis.decideApproval(again.approval.id, { decision: "approve" }, adminPrincipal),
    );
    expect(failed).toMatchObject({ code: "conflict" });
    expect(failed.message).toContain("start pairing in Moonlight first");
    const bad = await refusal(
      jarvis.runTool({ tool: "sunshine_pair_client", args: { pin: "12a4", name: "x" } }, api),
    );
    expect(bad.code).toBe("invalid_input");
  });

  it("unpairs (destructive, asked) by name, and closes the running app", async () => {
    const asked = await jarvis.runTool(
      { tool: "sunshine_unpair_client", args: { client: "bedroom-tv" } },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.risk).toBe("destructive");
    await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(sim.clients.map((c) => c.name)).toEqual(["living-room-shield"]);
    sim.currentGame = 3;
    const close = await jarvis.runTool({ tool: "sunshine_close_app", args: {} }, api);
    if (close.status !== "approval_required") throw new Error("expected an approval");
    expect(close.approval.target).toBe("gaming-pc");
    expect(close.approval.reason).toMatch(/Warning: someone is playing on gaming-pc \(app 3 is running\)$/);
    await jarvis.decideApproval(close.approval.id, { decision: "approve" }, adminPrincipal);
    expect(sim.currentGame).toBe(0);
    // Every POST carried JSON with Basic auth: none was refused for content type or origin.
    expect(sim.calls.filter((c) => c.status >= 400)).toEqual([]);
  });

  it("refuses a certificate with another fingerprint before sending the credentials", async () => {
    const wrong = await createTestJarvis({
      config: testConfig({}, env({ SUNSHINE_CERT_SHA256: other.sha256 })),
    });
    const calls = sim.calls.length;
    try {
      const error = await refusal(wrong.runTool({ tool: "sunshine_list_apps", args: {} }, api));
      expect(error.code).toBe("unauthorized");
      expect(error.message).toContain("not the configured SUNSHINE_CERT_SHA256; nothing was sent");
      expect(sim.calls.length).toBe(calls);
    } finally {
      await wrong.close();
    }
  });

  it("a wrong password is unauthorized and never shown; an unset Sunshine says how to configure it", async () => {
    const wrong = await createTestJarvis({ config: testConfig({}, env({ SUNSHINE_PASSWORD: "not-it-55" })) });
    try {
      const error = await refusal(wrong.runTool({ tool: "sunshine_list_clients", args: {} }, api));
      expect(error.code).toBe("unauthorized");
      expect(error.message).toBe(
        `Sunshine at ${sim.url} refused the credentials (HTTP 401): check SUNSHINE_USER and SUNSHINE_PASSWORD`,
      );
      const rows = await wrong.audit.list({ limit: 20 });
      expect(JSON.stringify(rows)).not.toContain("not-it-55");
    } finally {
      await wrong.close();
    }
    const none = await createTestJarvis();
    try {
      expect(await refusal(none.runTool({ tool: "sunshine_status", args: {} }, api))).toMatchObject({
        code: "unavailable",
      });
    } finally {
      await none.close();
    }
  });
});
