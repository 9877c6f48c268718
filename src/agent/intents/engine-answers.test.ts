import { describe, expect, it } from "vitest";
import { createIntentRecognizer } from "./index.ts";
import type { Outcome } from "./intent.ts";
import { homelabInventory } from "./test-inventory.ts";

const recognize = createIntentRecognizer();
const ctx = { inventory: homelabInventory(), now: new Date(2026, 10, 26, 10, 0, 0) };

/** Recognizes `text`, runs its plan against `outputs` (by tool name) and returns calls and answer. */
function converse(text: string, outputs: Record<string, unknown>) {
  const match = recognize(text, ctx);
  if (!match) throw new Error(`not recognized: ${text}`);
  const calls = match.intent.plan(match.slots, ctx);
  const outcomes: Outcome[] = calls.map((c) => ({ ...c, output: outputs[c.tool] }));
  return { calls, answer: match.intent.answer(match.slots, outcomes, ctx) };
}

/** nas_status as the real tool returns it (src/tools/nas/tools.ts). */
const nasUp = {
  nas: "nas326",
  host: "10.0.0.5",
  port: 445,
  reachable: true,
  shares: [
    { name: "media", comment: "", sizeBytes: 4 * 2 ** 40, freeBytes: 2 ** 40, usedPercent: 75 },
    { name: "backups", comment: "", sizeBytes: 2 * 2 ** 40, freeBytes: 2 ** 40, usedPercent: 50 },
  ],
};

describe("answers say what the tools report, and what they cannot see", () => {
  it("reports a NAS's reachability and share capacity", () => {
    const { calls, answer } = converse("is the nas reachable", { nas_status: nasUp });
    expect(calls).toEqual([{ tool: "nas_status", args: {} }]);
    expect(answer).toBe(
      "nas326 is up and answering over SMB. Shares: media 75 % used, 1.0 TiB free of 4.0 TiB; backups 50 % used, 1.0 TiB free of 2.0 TiB.",
    );
    const down = { nas: "nas326", reachable: false, error: "connection refused", shares: [] };
    expect(converse("nas326 status", { nas_status: down }).answer).toBe(
      "nas326 is not answering: connection refused.",
    );
  });

  it("answers one share's free space when a share is named", () => {
    const { calls, answer } = converse("how full is the backups share on nas326", { nas_status: nasUp });
    expect(calls).toEqual([{ tool: "nas_status", args: { nas: "nas326" } }]);
    expect(answer).toBe("The backups share on nas326: 50 % used, 1.0 TiB free of 2.0 TiB.");
  });

  it("says it cannot see NAS disk temperatures or SMART instead of guessing", () => {
    const hot = converse("how warm are the drives in the nas", { nas_status: nasUp }).answer;
    expect(hot).toMatch(/^I can't see disk temperatures: /);
    expect(hot).not.toMatch(/°|degrees/);
    expect(converse("what's the nas disk smart status", { nas_status: nasUp }).answer).toMatch(
      /^I can't see SMART health: /,
    );
  });

  it("says whether Sunshine streams, naming the app only by the id it reports", () => {
    const busy = { host: "gaming-pc", online: true, version: "1.0", streaming: { appId: 7 } };
    expect(converse("is anyone playing on the gaming pc", { sunshine_status: busy }).answer).toBe(
      "gaming-pc is online and streaming: app 7 is running (Sunshine 1.0).",
    );
    const idle = { ...busy, streaming: null };
    const fps = converse("what frame rate is the stream running at", { sunshine_status: idle }).answer;
    expect(fps).toBe(
      "Sunshine does not report the stream's frame rate. gaming-pc is online and idle: nothing is streaming (Sunshine 1.0).",
    );
  });

  it("answers whether one Moonlight client is paired", () => {
    const clients = { host: "gaming-pc", clients: [{ name: "living-room-shield", uuid: "A1" }] };
    const { calls, answer } = converse("is living-room-shield paired to the gaming pc", {
      sunshine_list_clients: clients,
    });
    expect(calls).toEqual([{ tool: "sunshine_list_clients", args: {} }]);
    expect(answer).toBe("Yes, living-room-shield is paired with Sunshine.");
  });
});
