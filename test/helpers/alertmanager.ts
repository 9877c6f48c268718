import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary } from "./binaries.ts";
import { freePort } from "./net.ts";

export interface Alertmanager {
  url: string;
  /** Posts alerts to Alertmanager's own API, as Prometheus would. */
  post(
    alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string>; endsAt?: string }>,
  ): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on loopback, clustering off, whose one
 * webhook receiver posts to Jarvis with a bearer token, grouping by fingerprint with short waits.
 */
export async function startAlertmanager(options: {
  webhookUrl: string;
  token: string;
}): Promise<Alertmanager> {
  const binary = requireBinary("prometheus-alertmanager", "prometheus-alertmanager");
  const dir = mkdtempSync(join(tmpdir(), "jarvis-am-"));
  const port = await freePort();
  // JSON is YAML: no templating of the token into YAML syntax.
  const config = {
    route: {
      receiver: "jarvis",
      group_by: ["..."],
      group_wait: "100ms",
      group_interval: "1s",
      repeat_interval: "1h",
    },
    receivers: [
      {
        name: "jarvis",
        webhook_configs: [
          {
            url: options.webhookUrl,
            send_resolved: true,
            http_config: { authorization: { type: "Bearer", credentials: options.token } },
          },
        ],
      },
    ],
  };
  writeFileSync(join(dir, "alertmanager.yml"), JSON.stringify(config), { mode: 0o600 });
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      const done = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 150; i++) {
    if (exited) break;
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) {
      return {
        url,
        stop,
        async post(alerts) {
          const response = await fetch(`${url}/api/v2/alerts`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(alerts),
          });
          if (!response.ok)
            throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`prometheus-alertmanager did not start:\n${stderr}`);
}
