import type { Expect, ExpectedCall } from "./cases.ts";
import { describeCall, matchesSubset, toolMatches } from "./match.ts";

/** A call as the judge sees it: the tool and the arguments the model gave. */
export interface SeenCall {
  tool: string;
  args: unknown;
}

/** What one turn did, as observed from the stream and the world. */
export interface TurnObservation {
  /** The model's tool calls, in order (asked-for-approval calls included). */
  calls: SeenCall[];
  /** Whether a (non-automatic) approval was requested. */
  approvalAsked: boolean;
  /** The concatenated text of the reply. */
  reply: string;
  /** Calls the world executed during the turn. */
  executed: SeenCall[];
  /** Errors of the run itself (model unreachable, timeout), not tool errors. */
  errors: string[];
}

const list = (calls: readonly SeenCall[]): string =>
  calls.length === 0 ? "no calls" : calls.map(describeCall).join(", ");

/** The first expected call not found, in order, among `seen`; undefined when all are. */
function missingInOrder(
  expected: readonly ExpectedCall[],
  seen: readonly SeenCall[],
): ExpectedCall | undefined {
  let from = 0;
  for (const want of expected) {
    const at = seen.findIndex(
      (call, i) =>
        i >= from && toolMatches(want.tool, call.tool) && matchesSubset(want.args ?? {}, call.args),
    );
    if (at < 0) return want;
    from = at + 1;
  }
  return undefined;
}

/**
 * Judges one turn against its expectations. Returns the reasons it failed (empty when it passed).
 * An explicit `calls: []` means no tool may be called at all; a run error always fails the turn.
 */
export function judgeTurn(expect: Expect | undefined, seen: TurnObservation): string[] {
  const reasons: string[] = seen.errors.map((error) => `the run failed: ${error}`);
  if (!expect) return reasons;
  if (expect.calls?.length === 0 && seen.calls.length > 0) {
    reasons.push(`expected no tool calls; got ${list(seen.calls)}`);
  } else if (expect.calls) {
    const missing = missingInOrder(expect.calls, seen.calls);
    if (missing) reasons.push(`expected call ${describeCall(missing)} (in order); got ${list(seen.calls)}`);
  }
  for (const pattern of expect.not_calls ?? []) {
    const hit = seen.calls.find((call) => toolMatches(pattern, call.tool));
    if (hit) reasons.push(`called ${describeCall(hit)}, which must not be called`);
  }
  if (expect.approval === "asked" && !seen.approvalAsked)
    reasons.push("expected an approval request; none was asked");
  if (expect.approval === "none" && seen.approvalAsked)
    reasons.push("expected no approval request; one was asked");
  if (expect.reply_matches && !expect.reply_matches.test(seen.reply)) {
    const reply = seen.reply.length > 300 ? `${seen.reply.slice(0, 300)}…` : seen.reply;
    reasons.push(`reply does not match ${expect.reply_matches}: ${JSON.stringify(reply)}`);
  }
  if (expect.executed) {
    const missing = missingInOrder(expect.executed, seen.executed);
    if (missing)
      reasons.push(`expected ${describeCall(missing)} to be executed; executed ${list(seen.executed)}`);
  }
  for (const pattern of expect.not_executed ?? []) {
    const hit = seen.executed.find((call) => toolMatches(pattern, call.tool));
    if (hit) reasons.push(`executed ${describeCall(hit)}, which must not run`);
  }
  return reasons;
}
