import { describe, expect, it } from "vitest";
import { evaluatePolicy, targetMatches } from "./policy.ts";

const q = { tool: "docker_restart_container", target: "local/plex", source: "chat", risk: "write" } as const;

describe("evaluatePolicy", () => {
  it("has built-in memory rules that any matching user rule overrides", () => {
    const remember = { tool: "memory_remember", source: "chat", risk: "write" } as const;
    const forget = { tool: "memory_forget", target: "mem_3", source: "chat", risk: "write" } as const;
    expect(evaluatePolicy([], [], remember)).toMatchObject({ decision: "allow", reason: /built-in/ });
    expect(evaluatePolicy([], [], forget).decision).toBe("ask");
    expect(evaluatePolicy([], [], { ...forget, source: "api" }).decision).toBe("allow");
    expect(evaluatePolicy([], [], { ...forget, tool: "memory_update", source: "api" }).decision).toBe(
      "allow",
    );
    expect(evaluatePolicy([{ tool: "memory_*", action: "ask" }], [], remember).decision).toBe("ask");
    expect(
      evaluatePolicy([{ tool: "memory_forget", action: "deny" }], [], { ...forget, source: "api" }).decision,
    ).toBe("deny");
    expect(evaluatePolicy([{ tool: "memory_forget", action: "allow" }], [], forget).decision).toBe("allow");
  });

  it("uses the risk defaults when no rule matches", () => {
    expect(evaluatePolicy([], [], { ...q, risk: "read" }).decision).toBe("allow");
    expect(evaluatePolicy([], [], { ...q, risk: "write" }).decision).toBe("ask");
    expect(evaluatePolicy([], [], { ...q, risk: "destructive" }).decision).toBe("ask");
  });

  it("lets deny beat allow and ask, and ask beat allow", () => {
    const allow = { tool: "docker_*", action: "allow" } as const;
    const ask = { tool: "docker_restart_container", action: "ask" } as const;
    const deny = { tool: "*", target: "plex", action: "deny" } as const;
    expect(evaluatePolicy([allow], [], q).decision).toBe("allow");
    expect(evaluatePolicy([allow, ask], [], q).decision).toBe("ask");
    expect(evaluatePolicy([allow, ask, deny], [], q).decision).toBe("deny");
    expect(evaluatePolicy([deny, allow], [], q).reason).toContain("deny");
  });

  it("lets a grant beat ask but never deny", () => {
    const grant = { tool: "docker_restart_container", target: "local/plex" };
    expect(evaluatePolicy([], [grant], q).decision).toBe("allow");
    expect(evaluatePolicy([{ tool: "*", action: "ask" }], [grant], q).decision).toBe("allow");
    expect(evaluatePolicy([{ tool: "*", action: "deny" }], [grant], q).decision).toBe("deny");
    expect(
      evaluatePolicy([], [{ tool: "docker_restart_container", target: "local/sonarr" }], q).decision,
    ).toBe("ask");
  });

  it("matches rules by source", () => {
    const rule = { tool: "docker_restart_container", source: "alert", action: "allow" } as const;
    expect(evaluatePolicy([rule], [], { ...q, source: "alert" }).decision).toBe("allow");
    expect(evaluatePolicy([rule], [], q).decision).toBe("ask");
  });
});

describe("evaluatePolicy on a set of targets", () => {
  const lights = ["light.bedroom", "light.kitchen", "light.living_room"];
  const set = {
    tool: "ha_call_service",
    target: lights.join(","),
    targets: lights,
    source: "chat",
    risk: "write",
  } as const;

  it("decides each member: a deny on one denies the set, an allow must cover every member", () => {
    const allowLights = { tool: "ha_call_service", target: "light.*", action: "allow" } as const;
    const denyBedroom = { tool: "ha_call_service", target: "light.bedroom", action: "deny" } as const;
    const askKitchen = { tool: "ha_call_service", target: "light.kitchen", action: "ask" } as const;
    expect(evaluatePolicy([allowLights], [], set).decision).toBe("allow");
    expect(evaluatePolicy([allowLights, denyBedroom], [], set)).toMatchObject({
      decision: "deny",
      reason: /light.bedroom.*for light.bedroom of 3 targets/,
    });
    expect(evaluatePolicy([allowLights, askKitchen], [], set)).toMatchObject({
      decision: "ask",
      reason: /for light.kitchen/,
    });
    // The joined target would have matched the glob as one string and slipped a lock past it.
    const mixed = {
      ...set,
      target: "light.kitchen,lock.front_door",
      targets: ["light.kitchen", "lock.front_door"],
    };
    expect(evaluatePolicy([allowLights], [], mixed).decision).toBe("ask");
  });

  it("lets grants cover members, including a grant given on an earlier set", () => {
    const kitchenOnly = { tool: "ha_call_service", target: "light.kitchen" };
    expect(evaluatePolicy([], [kitchenOnly], set).decision).toBe("ask");
    const earlierSet = { tool: "ha_call_service", target: lights.join(",") };
    expect(evaluatePolicy([], [earlierSet], set).decision).toBe("allow");
    expect(evaluatePolicy([], [earlierSet], { ...set, targets: [...lights, "light.porch"] }).decision).toBe(
      "ask",
    );
  });

  it("never allows a destructive set automatically, though rules and grants allow each member", () => {
    const locks = ["lock.back_door", "lock.front_door"];
    const unlockAll = { ...set, target: locks.join(","), targets: locks, risk: "destructive" } as const;
    const allowLocks = { tool: "ha_call_service", target: "lock.*", action: "allow" } as const;
    expect(
      evaluatePolicy([allowLocks], [], { ...unlockAll, target: "lock.front_door", targets: undefined })
        .decision,
    ).toBe("allow");
    expect(evaluatePolicy([allowLocks], [], unlockAll)).toMatchObject({
      decision: "ask",
      reason: /destructive call on a set of 2 targets always asks/,
    });
    expect(evaluatePolicy([], [{ tool: "ha_call_service", target: "lock.*" }], unlockAll).decision).toBe(
      "ask",
    );
    expect(
      evaluatePolicy([{ tool: "*", target: "lock.back_door", action: "deny" }], [], unlockAll).decision,
    ).toBe("deny");
  });
});

describe("targetMatches", () => {
  it("matches a bare pattern against the last segment and a pattern with / against the whole target", () => {
    expect(targetMatches("plex", "local/plex")).toBe(true);
    expect(targetMatches("plex", "nas/plex")).toBe(true);
    expect(targetMatches("local/plex", "nas/plex")).toBe(false);
    expect(targetMatches("*/plex", "nas/plex")).toBe(true);
    expect(targetMatches("plex*", "local/plex-2")).toBe(true);
    expect(targetMatches("plex", "local/plexamp")).toBe(false);
    expect(targetMatches("plex", undefined)).toBe(false);
  });

  it("treats regex characters in patterns literally", () => {
    expect(targetMatches("a.b", "local/axb")).toBe(false);
    expect(targetMatches("a.b", "local/a.b")).toBe(true);
  });
});
