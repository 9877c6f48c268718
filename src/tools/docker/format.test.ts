import { describe, expect, it } from "vitest";
import {
  canonicalName,
  formatInspectPorts,
  formatListPorts,
  mapLimit,
  parseHealth,
  shortId,
} from "./format.ts";

describe("parseHealth", () => {
  it("reads the list endpoint's Status text", () => {
    expect(parseHealth("Up 5 minutes (healthy)")).toBe("healthy");
    expect(parseHealth("Up 2 hours (unhealthy)")).toBe("unhealthy");
    expect(parseHealth("Up 3 seconds (health: starting)")).toBe("starting");
    expect(parseHealth("Up 10 days")).toBe("none");
    expect(parseHealth("Exited (3) 2 minutes ago")).toBe("none");
  });

  it("reads inspect's State.Health.Status", () => {
    expect(parseHealth("healthy")).toBe("healthy");
    expect(parseHealth("unhealthy")).toBe("unhealthy");
    expect(parseHealth("starting")).toBe("starting");
    expect(parseHealth(undefined)).toBe("none");
  });
});

describe("names, ids and ports", () => {
  it("picks the container's own name over legacy link names", () => {
    expect(canonicalName(["/web/db", "/db"], "abc")).toBe("db");
    expect(canonicalName(["/plex"], "abc")).toBe("plex");
    expect(canonicalName([], "0123456789abcdef")).toBe("0123456789ab");
  });

  it("shortens ids like docker ps", () => {
    expect(shortId("sha256:0123456789abcdef0123")).toBe("0123456789ab");
  });

  it("formats published and exposed ports and drops IPv4/IPv6 duplicates", () => {
    const ports = [
      { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
      { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
      { PrivatePort: 53, Type: "udp" },
    ];
    expect(formatListPorts(ports as never)).toEqual(["0.0.0.0:8080->80/tcp", "53/udp"]);
    expect(formatInspectPorts({ "80/tcp": [{ HostIp: "", HostPort: "8080" }], "53/udp": null })).toEqual([
      "0.0.0.0:8080->80/tcp",
      "53/udp",
    ]);
  });
});

describe("mapLimit", () => {
  it("keeps order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 3));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });
});
