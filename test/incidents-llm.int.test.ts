import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { eventually, healthOf, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

/** With an LLM configured, the model writes the diagnosis and may propose another action: it still meets the gate. */
describe("incident diagnosis by an LLM", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-inc-llm-${process.pid}`;
  let sim: OpenAISim;
  let jarvis: Jarvis;

  beforeAll(async () => {
    await startUnhealthyContainer(docker, { name, runId: inject("testRunId") });
    sim = await startOpenAISim();
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        { JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`, JARVIS_MODEL_MAX_RETRIES: "0" },
      ),
    });
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("records the model's diagnosis and sends its proposed action through the policy (ask)", async () => {
    await eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");
    sim.script({
      text: JSON.stringify({
        diagnosis: "The healthcheck cannot find /tmp/ok; the process is otherwise idle.",
        action: {
          tool: "docker_restart_container",
          args: { container: name, timeout: 1 },
          reason: "quick restart",
        },
      }),
    });
    const [result] = await jarvis.incidents.ingest([
      {
        source: "webhook",
        fingerprint: `llm-${process.pid}`,
        status: "firing",
        labels: { alertname: "ContainerUnhealthy", container: name },
        annotations: {},
        startsAt: new Date(),
      },
    ]);
    await jarvis.incidents.idle();
    const incident = await jarvis.incidents.store.get(result!.incident!);
    expect(incident?.status).toBe("awaiting_approval");
    const events = await jarvis.incidents.store.events(incident!.id);
    expect(events.find((e) => e.kind === "note")?.data).toMatchObject({
      diagnosis: expect.stringContaining("/tmp/ok"),
    });
    const approval = await jarvis.approvals.get(incident!.approvalId!);
    expect(approval).toMatchObject({
      tool: "docker_restart_container",
      args: { container: name, timeout: 1 },
      source: "alert",
      status: "pending",
    });
    const prompt = JSON.stringify(sim.requests[0]?.messages);
    expect(prompt).toContain("failingStreak"); // the evidence
    expect(prompt).toContain("Container unhealthy");
  });
});
