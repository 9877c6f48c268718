import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { json } from "./helpers/http.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";

/** docker_restart_container through the HTTP API and an approval, against the real engine. */
describe("restart through an approval over the API", () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const names = [`jt-appr-a-${process.pid}`, `jt-appr-b-${process.pid}`];
  const tokens = { admin: "", operator: "", viewer: "" };
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;

  const started = async (name: string) => {
    const { State } = await docker.getContainer(name).inspect();
    return State.StartedAt;
  };
  const call = (path: string, role: keyof typeof tokens, body: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    for (const name of names) {
      await startTestContainer(docker, { name, runId: inject("testRunId") });
    }
    jarvis = await createTestJarvis();
    app = createApp(jarvis);
    for (const role of ["admin", "operator", "viewer"] as const) {
      tokens[role] = (await jarvis.tokens.create({ name: role, role })).token;
    }
  });
  afterAll(async () => {
    await jarvis?.close();
    await Promise.all(
      names.map((n) =>
        docker
          .getContainer(n)
          .remove({ force: true })
          .catch(() => {}),
      ),
    );
  });

  it("asks, executes once on approval, and refuses a second approval or other arguments", async () => {
    const [a, b] = names as [string, string];
    const beforeA = await started(a);
    const beforeB = await started(b);

    const asked = await call("/api/tools/docker_restart_container/call", "operator", { container: a });
    expect(asked.status).toBe(202);
    const { approval } = await json(asked);
    expect(approval).toMatchObject({
      tool: "docker_restart_container",
      target: `local/${a}`,
      args: { container: a },
    });
    expect(await started(a)).toBe(beforeA);

    const swapped = await call(
      `/api/tools/docker_restart_container/call?approval=${approval.id}`,
      "operator",
      {
        container: b,
      },
    );
    expect(swapped.status).toBe(409);
    expect(await started(b)).toBe(beforeB);

    expect((await call(`/api/approvals/${approval.id}`, "viewer", { decision: "approve" })).status).toBe(403);
    expect(await started(a)).toBe(beforeA);

    const approved = await call(`/api/approvals/${approval.id}`, "admin", { decision: "approve" });
    expect(approved.status).toBe(200);
    expect(await json(approved)).toMatchObject({
      approval: { status: "approved", decidedBy: "token:admin" },
      result: { container: a, changed: true, state: "running" },
    });
    const afterA = await started(a);
    expect(afterA).not.toBe(beforeA);

    const again = await call(`/api/approvals/${approval.id}`, "admin", { decision: "approve" });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe("approval_invalid");
    expect(await started(a)).toBe(afterA);
    expect(await started(b)).toBe(beforeB);

    const audit = await jarvis.audit.list({ tool: "docker_restart_container" });
    expect(audit.filter((row) => row.outcome === "ok")).toHaveLength(1);
    expect(audit.find((row) => row.outcome === "ok")).toMatchObject({
      approvalId: approval.id,
      target: `local/${a}`,
    });
  });
});
