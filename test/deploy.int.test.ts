import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { removeDeployedApps } from "./helpers/deployed-apps.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";

const api: { source: "api" | "chat"; principal: typeof operatorPrincipal } = {
  source: "api",
  principal: operatorPrincipal,
};

/** A busybox httpd template: healthy once httpd answers on loopback (no network needed). */
const template = (name: string, extra: { image?: string; health?: string[] } = {}) => `
name: ${name}
description: test app ${name}
image: "${extra.image ?? testImage}"
command: [sh, -c, "echo ok > /data/index.html; exec httpd -f -p 127.0.0.1:8080 -h /data"]
params:
  run: { default: "none" }
env:
  APP_TOKEN: "{{secret:token}}"
  APP_NAME: "{{name}}"
network: none
labels:
  ${testLabel}: "{{run}}"
volumes:
  - { name: data, path: /data }
healthcheck:
  test: ${JSON.stringify(extra.health ?? ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"])}
  intervalSeconds: 1
  retries: 2
  waitSeconds: 60
`;

/** deploy_* against the real Docker engine, through the real gate and policy. */
describe("one-click deployments", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const runId = inject("testRunId");
  const app = `jt-web-${process.pid}`;
  let jarvis: Jarvis;

  const call = (tool: string, args: Record<string, unknown>, context = api) =>
    jarvis.runTool({ tool, args }, context);
  const leftovers = async (name: string) => ({
    containers: (
      await docker.listContainers({ all: true, filters: { label: [`jarvis.deploy.app=${name}`] } })
    ).length,
    volumes: ((await docker.listVolumes({ filters: { label: [`jarvis.deploy.app=${name}`] } })).Volumes ?? [])
      .length,
  });

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "jarvis-templates-"));
    await writeFile(join(dir, "web.yaml"), template("web"));
    await writeFile(join(dir, "broken.yaml"), template("broken", { health: ["CMD", "false"] }));
    await writeFile(join(dir, "absent.yaml"), template("absent", { image: "jarvis-test/absent:1" }));
    const base = testConfig();
    jarvis = await createTestJarvis({
      config: {
        ...base,
        deploy: { templatesDir: dir },
        policy: { rules: [{ tool: "deploy_*", source: "api", action: "allow" }] },
      },
    });
  });
  afterAll(async () => {
    await jarvis?.close();
    await removeDeployedApps(docker, [app, `${app}-b`, `${app}-c`]);
  });

  it("asks before deploying from chat, and shows the plan with secrets hidden", async () => {
    const asked = await call("deploy_app", { template: "web", name: app }, { ...api, source: "chat" });
    expect(asked.status).toBe("approval_required");
    const plan = await call("deploy_plan_app", { template: "web", name: app, params: { run: runId } });
    if (plan.status !== "ok") throw new Error(plan.status);
    expect(plan.result).toMatchObject({
      image: testImage,
      pull: false,
      container: { name: app, env: { APP_TOKEN: "(generated secret)", APP_NAME: app }, network: "none" },
      volumes: [{ name: `${app}-data`, path: "/data" }],
      secrets: ["token"],
    });
  });

  it("deploys, waits for healthy, lists the app, never shows the generated secret, and refuses the name twice", async () => {
    const result = await call("deploy_app", { template: "web", name: app, params: { run: runId } });
    if (result.status !== "ok") throw new Error(result.status);
    expect(result.result).toMatchObject({
      app,
      status: "healthy",
      credentials: { generated: ["token"], stored: true, secrets: [`deploy/local/${app}/token`] },
    });
    const info = await docker.getContainer(app).inspect();
    expect(info.State.Health?.Status).toBe("healthy");
    const token = info.Config.Env.find((e) => e.startsWith("APP_TOKEN="))!.slice("APP_TOKEN=".length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const audit = await jarvis.audit.list({ tool: "deploy_app" });
    expect(JSON.stringify([result, audit])).not.toContain(token);
    // The generated credential is kept encrypted in the secret store, readable after the call.
    expect((await jarvis.clients.secrets!.require(`deploy/local/${app}/token`)).reveal()).toBe(token);

    const apps = await call("deploy_list_apps", {});
    if (apps.status !== "ok") throw new Error(apps.status);
    expect((apps.result as { apps: unknown[] }).apps).toContainEqual(
      expect.objectContaining({ name: app, template: "web", host: "local", state: "running" }),
    );
    await expect(
      call("deploy_app", { template: "web", name: app, params: { run: runId } }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("rolls back a deploy whose healthcheck never passes, leaving nothing behind", async () => {
    const name = `${app}-b`;
    await expect(
      call("deploy_app", { template: "broken", name, params: { run: runId } }),
    ).rejects.toMatchObject({
      code: "tool_failed",
      message: expect.stringMatching(/healthcheck failed.*Rolled back: container [0-9a-f]{12}, volume /s),
    });
    expect(await leftovers(name)).toEqual({ containers: 0, volumes: 0 });
    expect((await jarvis.clients.secrets!.names()).filter((n) => n.includes(name))).toEqual([]);
  });

  it("reports a missing image instead of pulling it, creating nothing", async () => {
    const name = `${app}-c`;
    await expect(
      call("deploy_app", { template: "absent", name, params: { run: runId } }),
    ).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("never pulls silently"),
    });
    expect(await leftovers(name)).toEqual({ containers: 0, volumes: 0 });
  });

  it("removes the app and keeps its data volume unless told otherwise", async () => {
    const removed = await call("deploy_remove_app", { name: app });
    if (removed.status !== "ok") throw new Error(removed.status);
    expect(removed.result).toMatchObject({ removedVolumes: [], keptVolumes: [`${app}-data`] });
    expect(await leftovers(app)).toEqual({ containers: 0, volumes: 1 });
    await expect(call("deploy_remove_app", { name: app })).rejects.toMatchObject({ code: "not_found" });
    // Kept data keeps its credentials.
    expect(await jarvis.clients.secrets!.get(`deploy/local/${app}/token`)).toBeDefined();
  });
});
