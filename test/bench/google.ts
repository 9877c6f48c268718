import { calendar } from "@googleapis/calendar";
import { OAuth2Client } from "google-auth-library";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { startGoogleSim } from "../sim/google/server.ts";
import { percentile, round, time } from "./stats.ts";

const CLIENT_ID = "bench.apps.googleusercontent.com";
const CLIENT_SECRET = "bench-secret";

/**
 * The Google toolset's overhead: calendar_list_events through runTool (validation, policy, audit
 * rows, the refresh token read from the encrypted store, zod) against a raw `events.list` of the
 * same client library with a ready OAuth client, on the same simulator, interleaved.
 */
export async function benchGoogle(options: { calls: number }) {
  const start = new Date();
  const sim = await startGoogleSim({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    events: Array.from({ length: 12 }, (_, i) => ({
      summary: `Event ${i}`,
      start: new Date(start.getTime() + (i + 1) * 3_600_000).toISOString(),
      end: new Date(start.getTime() + (i + 2) * 3_600_000).toISOString(),
    })),
  });
  const config = {
    ...loadConfig({
      JARVIS_DATA_DIR: "memory://",
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_API_ROOT_URL: sim.url,
      GOOGLE_TOKEN_URL: sim.tokenUrl,
    }),
    dataDir: "memory://",
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database });
  await jarvis.clients.secrets!.put("google/refresh-token", sim.issueRefreshToken());
  const auth = new OAuth2Client({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    endpoints: { oauth2TokenUrl: sim.tokenUrl },
  });
  auth.setCredentials({ refresh_token: sim.issueRefreshToken() });
  const raw = calendar({ version: "v3", auth, rootUrl: sim.url, retry: false });
  const api = { source: "api", principal: { id: "bench", name: "bench", role: "admin" } } as const;
  const from = start.toISOString();
  const to = new Date(start.getTime() + 86_400_000).toISOString();
  try {
    const viaGate = () => jarvis.runTool({ tool: "calendar_list_events", args: { from, to } }, api);
    const direct = () =>
      raw.events.list({
        calendarId: "primary",
        timeMin: from,
        timeMax: to,
        singleEvents: true,
        orderBy: "startTime",
      });
    for (let i = 0; i < 20; i++) {
      await viaGate();
      await direct();
    }
    const gate: number[] = [];
    const library: number[] = [];
    for (let i = 0; i < options.calls; i++) {
      library.push(await time(direct));
      gate.push(await time(viaGate));
    }
    const p50 = (xs: number[]) => percentile(xs, 50);
    return {
      calendar_list: {
        what: "calendar_list_events through runTool vs a raw events.list of the same client library (same simulator, interleaved)",
        calls: options.calls,
        events: 12,
        gate_ms: { p50: round(p50(gate)), p95: round(percentile(gate, 95)) },
        raw_ms: { p50: round(p50(library)), p95: round(percentile(library, 95)) },
        ratio_p50: round(p50(gate) / p50(library), 2),
      },
    };
  } finally {
    await jarvis.close();
    await database.close();
    await sim.close();
  }
}
