import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { removeDeployedApps } from "./helpers/deployed-apps.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { savedImage } from "./helpers/saved-image.ts";
import { type RegistrySim, startRegistrySim } from "./sim/registry/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

const template = (name: string, image: string) => `
name: ${name}
description: test app pulled from a registry
image: "${image}"
command: [sh, -c, "echo ok > /data/index.html; exec httpd -f -p 127.0.0.1:8080 -h /data"]
params:
  run: { default: "none" }
network: none
labels:
  ${testLabel}: "{{run}}"
volumes:
  - { name: data, path: /data }
healthcheck:
  test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
  intervalSeconds: 1
  retries: 2
  waitSeconds: 60
`;

/**
 * deploy_app's pull path against the real Docker engine, which pulls from a registry simulator on
 * loopback serving the test image (no public registry is reachable here).
 */
describe("deploying an app whose image must be pulled", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const runId = inject("testRunId");
  const repo = `jarvis-test/pulled-${process.pid}`;
  const app = `jt-pulled-${process.pid}`;
  let registry: RegistrySim;
  let image: string;
  let jarvis: Jarvis;

  const call = (tool: string, args: Record<string, unknown>) => jarvis.runTool({ tool, args }, api);
  const leftovers = async (name: string) => ({
    containers: (
      await docker.listContainers({ all: true, filters: { label: [`jarvis.deploy.app=${name}`] } })
    ).length,
    volumes: ((await docker.listVolumes({ filters: { label: [`jarvis.deploy.app=${name}`] } })).Volumes ?? [])
      .length,
  });

  beforeAll(async () => {
    const saved = await savedImage(docker, testImage);
    registry = await startRegistrySim([
      { name: repo, tag: "1.0", ...saved },
      // Another image (its own config, so its own ID) whose layer the registry has lost.
      {
        name: repo,
        tag: "broken",
        config: Buffer.from(
          JSON.stringify({ ...JSON.parse(saved.config.toString()), comment: "layer lost" }),
        ),
        layers: saved.layers,
        withoutLayers: true,
      },
    ]);
    image = `${registry.host}/${repo}:1.0`;
    const dir = await mkdtemp(join(tmpdir(), "jarvis-templates-"));
    await writeFile(join(dir, "pulled.yaml"), template("pulled", image));
    await writeFile(join(dir, "unknown-tag.yaml"), template("unknown-tag", `${registry.host}/${repo}:9.9`));
    await writeFile(join(dir, "lost-blobs.yaml"), template("lost-blobs", `${registry.host}/${repo}:broken`));
    await writeFile(join(dir, "no-registry.yaml"), template("no-registry", `127.0.0.1:1/${repo}:1.0`));
    jarvis = await createTestJarvis({
      config: {
        ...testConfig(),
        deploy: { templatesDir: dir },
        policy: { rules: [{ tool: "deploy_*", source: "api", action: "allow" }] },
      },
    });
  });
  afterAll(async () => {
    await jarvis?.close();
    await removeDeployedApps(docker, [app, `${app}-b`, `${app}-c`, `${app}-d`]);
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => {});
    await registry?.stop();
  });

  it("plans the pull, refuses without pull: true, then pulls as part of the call and runs healthy", async () => {
    const plan = await call("deploy_plan_app", { template: "pulled", name: app, params: { run: runId } });
    if (plan.status !== "ok") throw new Error(plan.status);
    expect(plan.result).toMatchObject({ image, pull: true });

    await expect(
      call("deploy_app", { template: "pulled", name: app, params: { run: runId } }),
    ).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("pull: true"),
    });
    expect(registry.requests.filter((r) => r.path.includes("/manifests/"))).toEqual([]);

    const deployed = await call("deploy_app", {
      template: "pulled",
      name: app,
      params: { run: runId },
      pull: true,
    });
    if (deployed.status !== "ok") throw new Error(deployed.status);
    expect(deployed.result).toMatchObject({ app, status: "healthy" });
    expect(registry.requests.map((r) => r.path)).toContain(`/v2/${repo}/manifests/1.0`);
    expect((await docker.getImage(image).inspect()).RepoTags).toContain(image);
    expect((await docker.getContainer(app).inspect()).Config.Image).toBe(image);
  });

  it("fails clearly when the registry has no such tag, creating nothing", async () => {
    const name = `${app}-b`;
    await expect(
      call("deploy_app", { template: "unknown-tag", name, params: { run: runId }, pull: true }),
    ).rejects.toMatchObject({
      code: "tool_failed",
      message: expect.stringMatching(
        new RegExp(`pull.*${registry.host}/${repo}:9\\.9.*(manifest unknown|not found)`, "is"),
      ),
    });
    expect(await leftovers(name)).toEqual({ containers: 0, volumes: 0 });
  });

  it("fails clearly when the registry cannot be reached, creating nothing", async () => {
    const name = `${app}-c`;
    await expect(
      call("deploy_app", { template: "no-registry", name, params: { run: runId }, pull: true }),
    ).rejects.toMatchObject({
      code: "tool_failed",
      message: expect.stringMatching(/pull.*127\.0\.0\.1:1\/.*(connection refused|connect)/is),
    });
    expect(await leftovers(name)).toEqual({ containers: 0, volumes: 0 });
  });

  it("fails clearly when the registry loses a layer midway (an error inside the pull stream)", async () => {
    const name = `${app}-d`;
    await expect(
      call("deploy_app", { template: "lost-blobs", name, params: { run: runId }, pull: true }),
    ).rejects.toMatchObject({
      code: "tool_failed",
      message: expect.stringMatching(
        /pulling .*:broken failed: .*(unknown blob|blob unknown).*Rolled back: nothing/is,
      ),
    });
    expect(await leftovers(name)).toEqual({ containers: 0, volumes: 0 });
    await expect(docker.getImage(`${registry.host}/${repo}:broken`).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
