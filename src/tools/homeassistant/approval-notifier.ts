import type { ApprovalRow } from "../../agent/approvals.ts";
import type { Decision, DecisionResult } from "../../agent/decide-approval.ts";
import type { Logger } from "../../log.ts";
import type { Principal } from "../define-tool.ts";
import type { HomeAssistantClient } from "./client.ts";

const actionPattern = /^JARVIS_(APPROVE|DENY)_([0-9a-f-]{36})$/;

/**
 * Approval requests from every surface as actionable companion-app notifications (Approve / Deny,
 * https://companion.home-assistant.io/docs/notifications/actionable-notifications). Pressing one
 * makes Home Assistant fire `mobile_app_notification_action` with the action id; Jarvis maps it to
 * the configured principal and decides the approval, exactly as the API would.
 */
export function createApprovalNotifier(deps: {
  client: HomeAssistantClient;
  /** The notify service, e.g. mobile_app_pixel_8. */
  service: string;
  principal: Principal;
  decide: (id: string, decision: Decision, approver: Principal) => Promise<DecisionResult>;
  log: Logger;
  /**
   * Every Jarvis process connected to Home Assistant hears a pressed action; the one that claims
   * it (across processes, on Redis) decides it, so it is carried out once. Default: this process.
   */
  claim?: (key: string, ttlMs: number) => Promise<boolean>;
}) {
  const { client, log } = deps;
  return {
    /** Sends the notification for a new approval; a failure is logged, never the approval's problem. */
    async notify(row: ApprovalRow): Promise<void> {
      const what = `${row.tool}${row.target ? ` on ${row.target}` : ""}`;
      try {
        await client.callService(
          "notify",
          deps.service,
          {
            title: "Jarvis needs approval",
            message: `${what} (asked by ${row.requester} via ${row.source})`,
            data: {
              tag: `jarvis-approval-${row.id}`,
              actions: [
                { action: `JARVIS_APPROVE_${row.id}`, title: "Approve" },
                { action: `JARVIS_DENY_${row.id}`, title: "Deny" },
              ],
            },
          },
          undefined,
        );
      } catch (error) {
        log.warn("approval notification failed", { approval: row.id, error });
      }
    },
    /** Listens for pressed actions; returns the unsubscribe. */
    start(): () => void {
      return client.onEvent((type, data) => {
        if (type !== "mobile_app_notification_action") return;
        const match = actionPattern.exec(String(data.action ?? ""));
        if (!match) return;
        const decision = match[1] === "APPROVE" ? "approve" : "deny";
        const claimed = deps.claim ? deps.claim(`ha-action:${match[0]}`, 3_600_000) : Promise.resolve(true);
        claimed
          .then((mine) =>
            mine
              ? deps
                  .decide(
                    match[2]!,
                    { decision, reason: "from the Home Assistant companion app" },
                    deps.principal,
                  )
                  .then(() => true)
              : false,
          )
          .then(
            (decided) => {
              if (decided)
                log.info("approval decided from the companion app", { approval: match[2], decision });
            },
            (error) => log.warn("companion app decision failed", { approval: match[2], error }),
          );
      });
    },
  };
}
