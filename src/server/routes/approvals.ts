import { Hono } from "hono";
import { z } from "zod";
import { viewApproval } from "../../agent/approvals.ts";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import type { AppEnv } from "../env.ts";
import { type ApprovalStreamOptions, approvalStream } from "./approval-stream.ts";

const DecisionBody = z.strictObject({
  decision: z.enum(["approve", "deny"]),
  reason: z.string().max(2000).optional(),
  grantMinutes: z.number().int().min(1).max(1440).optional(),
});

const Status = z.enum(["pending", "approved", "denied", "expired"]).optional();

/**
 * GET /api/approvals, GET /api/approvals/stream (live, SSE), GET /api/approvals/:id,
 * POST /api/approvals/:id (decide).
 */
export function approvalRoutes(jarvis: Jarvis, stream: ApprovalStreamOptions = {}) {
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const status = Status.safeParse(c.req.query("status") || undefined);
      if (!status.success)
        throw new JarvisError("invalid_input", "status must be pending, approved, denied or expired");
      const rows = await jarvis.approvals.list({ status: status.data });
      return c.json({ approvals: rows.map(viewApproval) });
    })
    .get("/stream", approvalStream(jarvis, stream))
    .get("/:id", async (c) => {
      const row = await jarvis.approvals.get(c.req.param("id"));
      if (!row) throw new JarvisError("not_found", `No approval ${c.req.param("id")}`);
      return c.json({ approval: viewApproval(row) });
    })
    .post("/:id", async (c) => {
      const body = await parseBody(c, DecisionBody, "approval decision");
      if (!(await jarvis.approvals.get(c.req.param("id"))))
        throw new JarvisError("not_found", `No approval ${c.req.param("id")}`);
      const outcome = await jarvis.decideApproval(c.req.param("id"), body, c.var.principal);
      if (!outcome.run)
        return c.json({
          approval: outcome.approval,
          ...(outcome.resumedRun ? { resumedRun: outcome.resumedRun } : {}),
        });
      const { status: _status, ...run } = outcome.run;
      return c.json({ approval: outcome.approval, ...run });
    });
}
