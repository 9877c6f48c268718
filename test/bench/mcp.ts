import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import Docker from "dockerode";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import { startServer } from "../../src/server/serve.ts";
import { dockerOptions } from "../../src/tools/docker/client.ts";
import { percentile, round, time } from "./stats.ts";

const cli = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

const summary = (samples: number[]) => {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    calls_per_s: round(1000 / mean, 1),
  };
};

/**
 * MCP tools/call of docker_list_containers over stdio (`jarvis mcp` as a child process) and over
 * Streamable HTTP (the server's /mcp), against a raw dockerode listContainers, interleaved in the
 * same run on the same engine. Each MCP call goes through the gate (policy, two audit rows).
 */
export async function benchMcp(options: { calls: number }) {
  const config = loadConfig();
  const host = config.docker.hosts[0]!;
  const raw = new Docker(dockerOptions(host, config.docker.sshAgent));
  await raw.ping().catch((error: Error) => {
    throw new Error(`The MCP bench needs a Docker engine at ${host.url}: ${error.message}`);
  });
  const stdioDir = mkdtempSync(join(tmpdir(), "jarvis-bench-mcp-stdio-"));
  const httpDir = mkdtempSync(join(tmpdir(), "jarvis-bench-mcp-http-"));
  const hosts = `${host.name}=${host.url}`;

  const stdio = new Client({ name: "bench", version: "1" });
  await stdio.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [cli, "mcp"],
      env: { JARVIS_DATA_DIR: stdioDir, JARVIS_DOCKER_HOSTS: hosts, JARVIS_LOG_LEVEL: "error" },
    }),
  );
  const running = await startServer(
    { ...loadConfig({ JARVIS_DATA_DIR: httpDir, JARVIS_DOCKER_HOSTS: hosts, PORT: "0" }), dataDir: httpDir },
    silentLogger,
  );
  const token = readFileSync(join(httpDir, "admin-token"), "utf8").trim();
  const http = new Client({ name: "bench", version: "1" });
  await http.connect(
    new StreamableHTTPClientTransport(new URL("/mcp", running.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );

  try {
    const call = (client: Client) => async () => {
      const result = await client.callTool({
        name: "docker_list_containers",
        arguments: { host: host.name },
      });
      if (result.isError) throw new Error(JSON.stringify(result.content));
    };
    const viaStdio = call(stdio);
    const viaHttp = call(http);
    const direct = () => raw.listContainers({ all: true });
    for (let i = 0; i < 20; i++) {
      await viaStdio();
      await viaHttp();
      await direct();
    }
    const samples = { stdio: [] as number[], http: [] as number[], raw: [] as number[] };
    for (let i = 0; i < options.calls; i++) {
      samples.raw.push(await time(direct));
      samples.stdio.push(await time(viaStdio));
      samples.http.push(await time(viaHttp));
    }
    const rawP50 = percentile(samples.raw, 50);
    return {
      what: "MCP tools/call docker_list_containers over stdio and Streamable HTTP vs raw dockerode listContainers (same engine, interleaved, sequential calls)",
      calls: options.calls,
      containers: (await direct()).length,
      database: "pglite (data dir on disk)",
      stdio_ms: summary(samples.stdio),
      http_ms: summary(samples.http),
      raw_ms: summary(samples.raw),
      ratio_p50: {
        stdio: round(percentile(samples.stdio, 50) / rawP50, 2),
        http: round(percentile(samples.http, 50) / rawP50, 2),
      },
    };
  } finally {
    await stdio.close().catch(() => {});
    await http.close().catch(() => {});
    await running.stop();
    rmSync(stdioDir, { recursive: true, force: true });
    rmSync(httpDir, { recursive: true, force: true });
  }
}
