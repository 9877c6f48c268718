import { describe, expect, it } from "vitest";
import { ago } from "../ui/src/format.ts";
import { describeEvent } from "../ui/src/incident-events.ts";
import { rememberedWords, sourceOf } from "../ui/src/memory-words.ts";
import type { IncidentEvent } from "../ui/src/types.ts";

const event = (
  kind: string,
  data: Record<string, unknown>,
  auditId: number | null = null,
): IncidentEvent => ({
  at: "2026-01-01T03:00:00.000Z",
  kind,
  auditId,
  ...data,
});

describe("the console's words for incident timelines and memories", () => {
  it("describes each kind of step the remediation loop writes", () => {
    expect(
      describeEvent(event("alert", { status: "firing", source: "webhook", labels: { container: "plex" } })),
    ).toEqual({
      label: "Alert",
      title: "Alert firing (webhook)",
      detail: "container=plex",
      tone: "warn",
    });
    expect(describeEvent(event("alert", { status: "resolved" })).title).toBe("The alert resolved");
    expect(
      describeEvent(
        event("evidence", { step: "logs", tool: "docker_container_logs", args: { tail: 50 } }, 3),
      ),
    ).toMatchObject({
      title: "Evidence logs: docker_container_logs",
      detail: "tail=50",
    });
    expect(
      describeEvent(
        event("evidence", {
          step: "inspect",
          tool: "docker_inspect_container",
          error: { code: "not_found", message: "No container x" },
        }),
      ),
    ).toMatchObject({
      title: "Evidence inspect: docker_inspect_container failed",
      detail: "No container x",
      tone: "bad",
    });
    expect(
      describeEvent(event("evidence", { step: "verify", tool: "docker_inspect_container", verified: true }))
        .title,
    ).toBe("Verified: the fix holds");
    expect(
      describeEvent(
        event("decision", {
          tool: "docker_restart_container",
          args: { container: "plex" },
          reason: "usual fix",
          attempt: 2,
        }),
      ),
    ).toMatchObject({
      title: "Decided: docker_restart_container (attempt 2)",
      detail: "container=plex · usual fix",
    });
    expect(
      describeEvent(event("decision", { action: null, why: "circuit breaker open", target: "local/plex" }))
        .title,
    ).toBe("No action: circuit breaker open");
    expect(
      describeEvent(
        event("tool_call", { tool: "docker_restart_container", target: "local/plex", automatic: true }),
      ).title,
    ).toBe("Ran docker_restart_container on local/plex");
    expect(
      describeEvent(
        event("tool_call", { tool: "docker_restart_container", error: { message: "engine down" } }),
      ),
    ).toMatchObject({
      detail: "engine down",
      tone: "bad",
    });
    expect(
      describeEvent(
        event("approval", {
          approval: "a1",
          status: "requested",
          tool: "docker_restart_container",
          target: "local/plex",
        }),
      ).title,
    ).toBe("Approval requested for docker_restart_container on local/plex");
    expect(
      describeEvent(event("approval", { approval: "a1", status: "denied", by: "token:admin" })).title,
    ).toBe("Approval denied by token:admin");
    expect(describeEvent(event("note", { acknowledged: "token:admin", note: "on it" }))).toMatchObject({
      title: "Acknowledged by token:admin",
      detail: "on it",
    });
    expect(describeEvent(event("note", { recalled: ["restart fixed it", "disk was full"] }))).toMatchObject({
      title: "Recalled 2 similar past incidents",
      items: ["restart fixed it", "disk was full"],
    });
    expect(
      describeEvent(event("note", { diagnosis: "the healthcheck file is missing", proposed: null })).detail,
    ).toBe("the healthcheck file is missing");
    expect(describeEvent(event("note", { resumed: "verifying" })).title).toBe(
      "Resumed after a restart (was verifying)",
    );
    expect(
      describeEvent(
        event("status", { from: "awaiting_approval", to: "escalated", by: "token:admin", note: "vendor" }),
      ),
    ).toEqual({
      label: "Status",
      title: "awaiting approval → escalated by token:admin",
      detail: "vendor",
      tone: "bad",
    });
  });

  it("says how long ago, where a memory came from, and what remembering did", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(ago("2026-01-01T11:59:50Z", now)).toBe("just now");
    expect(ago("2026-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(ago("2026-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(ago("2025-12-30T12:00:00Z", now)).toBe("2 d ago");
    const memory = { id: "mem_1", text: "t", kind: "fact", scope: "global", updatedAt: "" };
    expect(sourceOf({ ...memory, source: { type: "incident", id: "abc" } })).toEqual({
      text: "an incident",
      href: "#/incidents/abc",
    });
    expect(sourceOf({ ...memory, source: { type: "api", id: "token:admin" } })).toEqual({
      text: "api (token:admin)",
    });
    expect(sourceOf({ ...memory, source: null })).toBeUndefined();
    expect(rememberedWords("updated", "mem_2")).toContain("updated the memory that said the same");
    expect(rememberedWords("added", "mem_3")).toBe("Remembered (mem_3).");
  });
});
