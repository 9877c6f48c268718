import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals as approvalsTable } from "../src/db/schema.ts";
import type { Jarvis } from "../src/jarvis.ts";
import {
  adminPrincipal,
  createTestJarvis,
  operatorPrincipal,
  testConfig,
  viewerPrincipal,
} from "./helpers/jarvis.ts";
import { refusal } from "./helpers/refusal.ts";
import { createTestTools } from "./helpers/test-tools.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

describe("the gate (runTool) on a real database", () => {
  let jarvis: Jarvis;
  const { tools, runs } = createTestTools();

  beforeAll(async () => {
    const config = testConfig({
      policy: {
        rules: [
          { tool: "test_*", target: "vault", action: "deny" },
          { tool: "test_restart_thing", target: "vault", action: "allow" },
          { tool: "test_restart_thing", target: "auto", action: "allow" },
        ],
      },
      tools: { timeoutSeconds: 30, maxOutputBytes: 4096 },
    });
    jarvis = await createTestJarvis({ config, tools });
  });
  afterAll(() => jarvis?.close());

  const count = (tool: string) => runs.filter((r) => r.tool === tool).length;

  it("runs read tools and writes an audit row", async () => {
    const result = await jarvis.runTool({ tool: "test_read_echo", args: { text: "hi", count: 2 } }, api);
    expect(result).toMatchObject({ status: "ok", result: { echoed: "hihi" }, truncated: false });
    const [row] = await jarvis.audit.list({ tool: "test_read_echo", limit: 1 });
    expect(row).toMatchObject({
      outcome: "ok",
      decision: "allow",
      principal: operatorPrincipal.id,
      source: "api",
    });
    expect(row!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses bad input with the field named, executes nothing, and audits it", async () => {
    const before = runs.length;
    const error = await refusal(
      jarvis.runTool({ tool: "test_read_echo", args: { text: 5, extra: true } }, api),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/text:/);
    expect(error.message).toMatch(/extra/);
    expect(runs.length).toBe(before);
    const [row] = await jarvis.audit.list({ tool: "test_read_echo", limit: 1 });
    expect(row).toMatchObject({ outcome: "invalid_input", decision: "invalid" });
  });

  it("refuses unknown tools", async () => {
    const error = await refusal(jarvis.runTool({ tool: "nope_do_thing", args: {} }, api));
    expect(error.code).toBe("unknown_tool");
  });

  it("lets deny beat allow", async () => {
    const error = await refusal(
      jarvis.runTool({ tool: "test_restart_thing", args: { thing: "vault" } }, api),
    );
    expect(error.code).toBe("denied");
    expect(count("test_restart_thing")).toBe(0);
    const [row] = await jarvis.audit.list({ tool: "test_restart_thing", limit: 1 });
    expect(row).toMatchObject({ outcome: "denied", decision: "deny", target: "lab/vault" });
  });

  it("runs a write tool that a rule allows without asking", async () => {
    const result = await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "auto" } }, api);
    expect(result.status).toBe("ok");
    expect(count("test_restart_thing")).toBe(1);
  });

  it("writes the audit row even when the tool throws, with the error", async () => {
    const pending = await jarvis.runTool({ tool: "test_wipe_thing", args: { thing: "broken" } }, api);
    expect(pending.status).toBe("approval_required");
    if (pending.status !== "approval_required") return;
    const error = await refusal(
      jarvis.decideApproval(pending.approval.id, { decision: "approve" }, adminPrincipal),
    );
    expect(error.code).toBe("tool_failed");
    expect(error.message).toContain("disk on fire");
    const [row] = await jarvis.audit.list({ tool: "test_wipe_thing", limit: 1 });
    expect(row).toMatchObject({
      outcome: "error",
      errorCode: "tool_failed",
      approvalId: pending.approval.id,
    });
    expect(row!.finishedAt).not.toBeNull();
  });

  it("keeps a tool's typed error code", async () => {
    const pending = await jarvis.runTool({ tool: "test_wipe_thing", args: { thing: "missing" } }, api);
    if (pending.status !== "approval_required") throw new Error("expected an approval");
    const error = await refusal(
      jarvis.decideApproval(pending.approval.id, { decision: "approve" }, adminPrincipal),
    );
    expect(error.code).toBe("not_found");
  });

  it("derives risk from the input", async () => {
    const result = await jarvis.runTool({ tool: "test_wipe_thing", args: { thing: "scratch" } }, api);
    expect(result.status).toBe("approval_required");
    if (result.status === "approval_required") expect(result.approval.risk).toBe("write");
  });

  it("asks, then executes an approved call exactly once, bound to its arguments and requester", async () => {
    const asked = await jarvis.runTool(
      { tool: "test_restart_thing", args: { thing: "web", password: "hunter2" } },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval).toMatchObject({
      tool: "test_restart_thing",
      target: "lab/web",
      status: "pending",
    });
    expect(JSON.stringify(asked.approval)).not.toContain("hunter2");
    expect(count("test_restart_thing")).toBe(1);

    const approvalId = asked.approval.id;
    await jarvis.approvals.decide(approvalId, "approved", adminPrincipal.id);
    const different = await refusal(
      jarvis.runTool(
        { tool: "test_restart_thing", args: { thing: "web", password: "other" }, approvalId },
        api,
      ),
    );
    expect(different.code).toBe("approval_invalid");
    expect(different.message).toMatch(/different arguments/);
    const elsewhere = await refusal(
      jarvis.runTool(
        { tool: "test_restart_thing", args: { thing: "db", password: "hunter2" }, approvalId },
        api,
      ),
    );
    expect(elsewhere.code).toBe("approval_invalid");
    const stranger = await refusal(
      jarvis.runTool(
        { tool: "test_restart_thing", args: { thing: "web", password: "hunter2" }, approvalId },
        { ...api, principal: adminPrincipal },
      ),
    );
    expect(stranger.message).toMatch(/someone else/);
    expect(count("test_restart_thing")).toBe(1);

    const ran = await jarvis.runTool(
      { tool: "test_restart_thing", args: { thing: "web", password: "hunter2" }, approvalId },
      api,
    );
    expect(ran).toMatchObject({ status: "ok", result: { restarted: "web" }, approvalId });
    expect(count("test_restart_thing")).toBe(2);
    const again = await refusal(
      jarvis.runTool(
        { tool: "test_restart_thing", args: { thing: "web", password: "hunter2" }, approvalId },
        api,
      ),
    );
    expect(again.message).toMatch(/already used/);
    expect(count("test_restart_thing")).toBe(2);

    const audit = await jarvis.audit.list({ tool: "test_restart_thing", limit: 10 });
    expect(JSON.stringify(audit)).not.toContain("hunter2");
  });

  it("refuses an expired approval", async () => {
    const asked = await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "old" } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    await jarvis.approvals.decide(asked.approval.id, "approved", adminPrincipal.id);
    await jarvis.database.db
      .update(approvalsTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(approvalsTable.id, asked.approval.id));
    const error = await refusal(
      jarvis.runTool(
        { tool: "test_restart_thing", args: { thing: "old" }, approvalId: asked.approval.id },
        api,
      ),
    );
    expect(error.code).toBe("approval_invalid");
    expect(runs.some((r) => (r.input as { thing: string }).thing === "old")).toBe(false);
  });

  it("will not decide an expired approval", async () => {
    const asked = await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "stale" } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    await jarvis.database.db
      .update(approvalsTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(approvalsTable.id, asked.approval.id));
    const error = await refusal(
      jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal),
    );
    expect(error.message).toMatch(/expired/);
    const [row] = await jarvis.approvals.list({ status: "expired" });
    expect(row?.id).toBe(asked.approval.id);
  });

  it("lets a viewer run read tools only, and never decide", async () => {
    const viewer = { source: "api", principal: viewerPrincipal } as const;
    expect((await jarvis.runTool({ tool: "test_read_echo", args: { text: "v" } }, viewer)).status).toBe("ok");
    const error = await refusal(
      jarvis.runTool({ tool: "test_restart_thing", args: { thing: "web" } }, viewer),
    );
    expect(error.code).toBe("forbidden");
    const asked = await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "viewer-try" } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    const refused = await refusal(
      jarvis.decideApproval(asked.approval.id, { decision: "approve" }, viewerPrincipal),
    );
    expect(refused.code).toBe("forbidden");
    expect((await jarvis.approvals.get(asked.approval.id))?.status).toBe("pending");
  });

  it("records a denial and never executes", async () => {
    const asked = await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "nope" } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    const decided = await jarvis.decideApproval(
      asked.approval.id,
      { decision: "deny", reason: "not now" },
      adminPrincipal,
    );
    expect(decided.approval).toMatchObject({
      status: "denied",
      decisionReason: "not now",
      decidedBy: adminPrincipal.id,
    });
    expect(decided.run).toBeUndefined();
    const error = await refusal(
      jarvis.runTool(
        { tool: "test_restart_thing", args: { thing: "nope" }, approvalId: asked.approval.id },
        api,
      ),
    );
    expect(error.code).toBe("approval_invalid");
    expect(runs.some((r) => (r.input as { thing: string }).thing === "nope")).toBe(false);
  });

  it("honours a time-limited grant for the same tool and target only", async () => {
    const asked = await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "granted" } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    await jarvis.decideApproval(asked.approval.id, { decision: "approve", grantMinutes: 5 }, adminPrincipal);
    expect(
      (await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "granted" } }, api)).status,
    ).toBe("ok");
    expect((await jarvis.runTool({ tool: "test_restart_thing", args: { thing: "other" } }, api)).status).toBe(
      "approval_required",
    );
  });

  it("times out a tool that hangs and audits the timeout", async () => {
    const error = await refusal(jarvis.runTool({ tool: "test_read_slow", args: {} }, api));
    expect(error.code).toBe("timeout");
    const [row] = await jarvis.audit.list({ tool: "test_read_slow", limit: 1 });
    expect(row).toMatchObject({ outcome: "error", errorCode: "timeout" });
  });

  it("stops a tool when the caller aborts", async () => {
    const controller = new AbortController();
    const call = jarvis.runTool({ tool: "test_read_slow", args: {} }, { ...api, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await refusal(call)).code).toBe("aborted");
  });

  it("truncates oversized output in one place and says so", async () => {
    const result = await jarvis.runTool({ tool: "test_read_big", args: { n: 5000 } }, api);
    if (result.status !== "ok") throw new Error("expected a result");
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(result.result))).toBeLessThanOrEqual(4096);
  });

  it("keeps finished audit rows immutable", async () => {
    const [row] = await jarvis.audit.list({ limit: 1 });
    await expect(jarvis.audit.markInterrupted(jarvis.instances.live)).resolves.toBe(0);
    const { audit } = await import("../src/db/schema.ts");
    await expect(
      jarvis.database.db.update(audit).set({ outcome: "ok", tool: "forged" }).where(eq(audit.id, row!.id)),
    ).rejects.toThrow();
    await expect(jarvis.database.db.delete(audit)).rejects.toThrow();
  });
});
