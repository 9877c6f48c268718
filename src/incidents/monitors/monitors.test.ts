import { describe, expect, it } from "vitest";
import { diskAlert } from "./disk.ts";
import { alertFromEvent } from "./docker-events.ts";

describe("monitor alerts", () => {
  it("maps Docker events to alerts, ignoring clean exits and stops by signal", () => {
    const event = (Action: string, attrs: Record<string, string> = {}) => ({
      Type: "container",
      Action,
      Actor: { Attributes: { name: "plex", ...attrs } },
      time: 1_700_000_000,
    });
    expect(alertFromEvent("local", event("health_status: unhealthy"))).toMatchObject({
      status: "firing",
      fingerprint: "docker:local/plex:ContainerUnhealthy",
      labels: { alertname: "ContainerUnhealthy", container: "plex", host: "local" },
    });
    expect(alertFromEvent("local", event("health_status: healthy"))?.status).toBe("resolved");
    expect(alertFromEvent("local", event("oom"))?.labels.alertname).toBe("ContainerOOMKilled");
    expect(alertFromEvent("local", event("die", { exitCode: "1" }))?.labels.alertname).toBe("ContainerDied");
    expect(alertFromEvent("local", event("die", { exitCode: "0" }))).toBeUndefined();
    expect(alertFromEvent("local", event("die", { exitCode: "143" }))).toBeUndefined();
    expect(alertFromEvent("local", event("start"))).toBeUndefined();
  });

  it("grades disk usage against warning and critical thresholds", () => {
    const t = { warning: 85, critical: 95 };
    expect(diskAlert("/srv", 50, t).status).toBe("resolved");
    expect(diskAlert("/srv", 90, t)).toMatchObject({ status: "firing", labels: { severity: "warning" } });
    expect(diskAlert("/srv", 96, t)).toMatchObject({
      status: "firing",
      labels: { alertname: "DiskAlmostFull", mountpoint: "/srv", severity: "critical" },
    });
  });
});
