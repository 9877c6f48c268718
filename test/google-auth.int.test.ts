import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { secrets } from "../src/db/schema.ts";
import { createJarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { authorizeGoogle } from "../src/tools/google/auth.ts";
import { operatorPrincipal } from "./helpers/jarvis.ts";
import { cliPath } from "./helpers/serve-child.ts";
import { refusal } from "./helpers/tool-calls.ts";
import { type GoogleSim, startGoogleSim } from "./sim/google/server.ts";

const CLIENT_ID = "5678-sim.apps.googleusercontent.com";
const CLIENT_SECRET = "GOCSPX-auth-sim";

/** Every file under a directory, for a plain-text search of the data directory. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

describe("npm run jarvis -- google auth", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-google-auth-"));
  let sim: GoogleSim;
  let child: ChildProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    sim = await startGoogleSim({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      events: [{ summary: "Backup window", start: new Date().toISOString(), end: "2999-01-01T00:00:00Z" }],
    });
    env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      JARVIS_DATA_DIR: dataDir,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      JARVIS_LOG_LEVEL: "debug",
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_AUTH_URL: sim.authUrl,
      GOOGLE_TOKEN_URL: sim.tokenUrl,
      GOOGLE_API_ROOT_URL: sim.url,
    };
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the loopback flow with PKCE and state, and stores the refresh token encrypted", async () => {
    child = spawn(process.execPath, [cliPath, "google", "auth"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child!.on("exit", (code) => resolve(code)));
    const printed = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        const url = /^ {2}(http\S+)$/m.exec(stdout)?.[1];
        if (url && stdout.includes("Waiting for Google")) resolve(url);
      });
      child!.on("exit", () => reject(new Error(`exited early: ${stdout}${stderr}`)));
    });

    const url = new URL(printed);
    expect(url.origin + url.pathname).toBe(sim.authUrl);
    const q = url.searchParams;
    expect(q.get("client_id")).toBe(CLIENT_ID);
    expect(q.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("state")!.length).toBeGreaterThanOrEqual(32);
    expect(q.get("access_type")).toBe("offline");
    expect(q.get("scope")!.split(" ")).toContain("https://www.googleapis.com/auth/gmail.send");

    // A redirect that does not carry this run's state is refused, and the flow keeps waiting.
    const forged = await fetch(`${q.get("redirect_uri")}/?code=4/forged&state=not-the-state`);
    expect(forged.status).toBe(400);
    await forged.body?.cancel();

    // The browser: open the URL, follow Google's redirect to the loopback listener.
    const landed = await fetch(printed);
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain("Jarvis is authorised");
    expect(await exited).toBe(0);
    expect(stdout).toContain("The refresh token is stored encrypted as google/refresh-token");

    // Exactly one refresh token was issued; it is in the store, and nowhere in plain text.
    expect(sim.refreshTokens.size).toBe(1);
    const [issued] = [...sim.refreshTokens];
    expect(stdout + stderr).not.toContain(issued);
    for (const file of filesUnder(dataDir)) expect(readFileSync(file).includes(issued!)).toBe(false);

    const config = loadConfig(env, "/");
    const database = await openDatabase({ dataDir });
    const jarvis = await createJarvis(config, { log: silentLogger, database });
    try {
      const rows = await database.db.select().from(secrets);
      expect(rows.map((r) => r.name)).toContain("google/refresh-token");
      expect(JSON.stringify(rows)).not.toContain(issued);
      expect((await jarvis.clients.secrets!.get("google/refresh-token"))!.reveal()).toBe(issued);
      // …and the tools use it.
      const run = await jarvis.runTool(
        { tool: "calendar_list_events", args: { to: "2999-01-02" } },
        { source: "api", principal: operatorPrincipal },
      );
      expect(run).toMatchObject({ status: "ok", result: { events: [{ title: "Backup window" }] } });
    } finally {
      await jarvis.close();
      await database.close();
    }
    // A child process that loads the CLI and migrates a fresh database: slow on a loaded machine.
  }, 240_000);

  it("stores nothing when the user refuses consent, and says so", async () => {
    sim.consent = "deny";
    const stored: string[] = [];
    try {
      const error = await refusal(
        authorizeGoogle({
          clientId: CLIENT_ID,
          authUrl: sim.authUrl,
          tokenUrl: sim.tokenUrl,
          show: (url) => void fetch(url).then((r) => r.body?.cancel()),
          store: async (token) => void stored.push(token.reveal()),
        }),
      );
      expect(error).toMatchObject({
        code: "denied",
        message: "Google did not authorise Jarvis (access_denied)",
      });
      expect(stored).toEqual([]);
    } finally {
      sim.consent = "allow";
    }
  });
});
