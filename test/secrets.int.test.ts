import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { secrets } from "../src/db/schema.ts";
import { Secret } from "../src/secret.ts";
import { keyFileName, loadSecretKey } from "../src/secrets/key.ts";
import { createSecretStore } from "../src/secrets/store.ts";
import { refusal } from "./helpers/refusal.ts";

describe("the encrypted secret store (real PGlite on disk)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-secrets-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates the key file once with mode 0600 and keeps it", () => {
    const first = loadSecretKey({ dataDir });
    const path = join(dataDir, keyFileName);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ dataDir }).equals(first)).toBe(true);
  });

  it("stores values encrypted and reads them back after a restart", async () => {
    let database = await openDatabase({ dataDir });
    let store = createSecretStore({ db: database.db, key: loadSecretKey({ dataDir }) });
    await store.put("restic/media-config", "correct horse battery staple");
    await store.put("nas/nas326", new Secret("smb-pass"));
    const rows = await database.db.select().from(secrets);
    expect(JSON.stringify(rows)).not.toContain("correct horse");
    await database.close();

    database = await openDatabase({ dataDir });
    store = createSecretStore({ db: database.db, key: loadSecretKey({ dataDir }) });
    const value = await store.get("restic/media-config");
    expect(value?.reveal()).toBe("correct horse battery staple");
    expect(String(value)).toBe("***");
    expect(await store.names()).toEqual(["nas/nas326", "restic/media-config"]);
    expect(await store.get("missing")).toBeUndefined();
    expect((await refusal(store.require("missing"))).code).toBe("not_found");
    expect(await store.delete("nas/nas326")).toBe(true);
    expect(await store.delete("nas/nas326")).toBe(false);
    expect((await refusal(store.put("../bad name", "x"))).code).toBe("invalid_input");
    await database.close();
  });

  it("refuses a wrong key with a clear error and changes nothing", async () => {
    const database = await openDatabase({ dataDir });
    const before = await database.db.select().from(secrets);
    const wrong = createSecretStore({
      db: database.db,
      key: loadSecretKey({ dataDir, key: new Secret("a different passphrase entirely") }),
    });
    for (const call of [
      wrong.get("restic/media-config"),
      wrong.put("restic/media-config", "overwritten"),
      wrong.put("new-one", "x"),
      wrong.delete("restic/media-config"),
    ]) {
      const error = await refusal(call);
      expect(error.code).toBe("invalid_config");
      expect(error.message).toMatch(/does not match the key its secrets were stored with/);
    }
    expect(await database.db.select().from(secrets)).toEqual(before);
    const right = createSecretStore({ db: database.db, key: loadSecretKey({ dataDir }) });
    expect((await right.get("restic/media-config"))?.reveal()).toBe("correct horse battery staple");
    await database.close();
  });

  it("takes JARVIS_SECRET_KEY as hex or a passphrase, and refuses a short one", () => {
    const hex = "ab".repeat(32);
    expect(loadSecretKey({ dataDir, key: new Secret(hex) }).toString("hex")).toBe(hex);
    expect(loadSecretKey({ dataDir, key: new Secret("sixteen chars ok") })).toHaveLength(32);
    expect(() => loadSecretKey({ dataDir, key: new Secret("short") })).toThrow(/JARVIS_SECRET_KEY/);
  });

  it("refuses a key file others can read", () => {
    const dir = mkdtempSync(join(tmpdir(), "jarvis-secrets-mode-"));
    writeFileSync(join(dir, keyFileName), `${"cd".repeat(32)}\n`, { mode: 0o644 });
    expect(() => loadSecretKey({ dataDir: dir })).toThrow(/chmod 600/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("/api/secrets", () => {
  it("is admin-only and never answers with a value", async () => {
    const { createTestJarvis } = await import("./helpers/jarvis.ts");
    const { createApp } = await import("../src/server/app.ts");
    const jarvis = await createTestJarvis();
    const app = createApp(jarvis);
    const admin = (await jarvis.tokens.create({ name: "a", role: "admin" })).token;
    const operator = (await jarvis.tokens.create({ name: "o", role: "operator" })).token;
    const call = (method: string, path: string, token: string, body?: unknown) =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await call("PUT", "/api/secrets/restic/jobs", operator, { value: "pw" })).status).toBe(403);
    const put = await call("PUT", "/api/secrets/restic/jobs", admin, { value: "hunter2-password" });
    expect(put.status).toBe(200);
    expect(await put.text()).not.toContain("hunter2");
    const list = await call("GET", "/api/secrets", admin);
    expect(await list.json()).toEqual({ secrets: ["restic/jobs"] });
    expect((await jarvis.clients.secrets!.get("restic/jobs"))?.reveal()).toBe("hunter2-password");
    expect((await call("PUT", "/api/secrets/restic/jobs", admin, {})).status).toBe(400);
    expect((await call("DELETE", "/api/secrets/restic/jobs", admin)).status).toBe(200);
    expect((await call("DELETE", "/api/secrets/restic/jobs", admin)).status).toBe(404);
    await jarvis.close();
  });
});
