import { describe, expect, it } from "vitest";
import { fingerprintOf, fromWebhook } from "./alert.ts";
import {
  conditionsHold,
  loadRunbooks,
  matchRunbook,
  parseRunbook,
  renderArgs,
  shippedRunbooksDir,
} from "./runbook.ts";

describe("runbooks", () => {
  const runbooks = loadRunbooks(shippedRunbooksDir);

  it("ships the runbooks, each valid", () => {
    expect(runbooks.map((r) => r.name).sort()).toEqual([
      "backup-failed",
      "certificate-expiring",
      "container-crash-looping",
      "container-oom-killed",
      "container-unhealthy",
      "disk-almost-full",
      "dns-changed",
      "host-unreachable",
      "site-down",
    ]);
    for (const runbook of runbooks) expect(runbook.body.length).toBeGreaterThan(50);
  });

  it("matches by alertname and leaves unknown alerts unmatched", () => {
    expect(matchRunbook(runbooks, { alertname: "ContainerUnhealthy", container: "plex" })?.name).toBe(
      "container-unhealthy",
    );
    expect(matchRunbook(runbooks, { alertname: "DiskAlmostFull" })?.name).toBe("disk-almost-full");
    expect(matchRunbook(runbooks, { alertname: "CertificateExpiring", domain: "a.org" })?.name).toBe(
      "certificate-expiring",
    );
    expect(matchRunbook(runbooks, { alertname: "Something" })).toBeUndefined();
    expect(matchRunbook(runbooks, { container: "plex" })).toBeUndefined();
  });

  it("renders templates from the alert and leaves out arguments with nothing to put in", () => {
    const vars = { labels: { job: "media-config" }, container: "plex", host: "local", mountpoint: undefined };
    expect(renderArgs({ container: "{{container}}", host: "{{host}}", tail: 50 }, vars)).toEqual({
      container: "plex",
      host: "local",
      tail: 50,
    });
    expect(renderArgs({ path: "{{mountpoint}}", job: "{{ labels.job }}" }, vars)).toEqual({
      job: "media-config",
    });
  });

  it("evaluates conditions over evidence, a list meaning any of", () => {
    const results = { inspect: { health: { status: "unhealthy" }, state: { status: "running" } } };
    expect(conditionsHold({ "inspect.health.status": ["unhealthy", "starting"] }, results)).toBe(true);
    expect(conditionsHold({ "inspect.state.status": "exited" }, results)).toBe(false);
    expect(conditionsHold({ "missing.path": "x" }, results)).toBe(false);
  });

  it("rejects a runbook without front matter or with unknown keys, naming it", () => {
    expect(() => parseRunbook("bad", "no front matter")).toThrow(/bad has no YAML front matter/);
    expect(() => parseRunbook("typo", "---\ntitle: x\nmatch: {a: b}\nmaxAttempt: 3\n---\nbody")).toThrow(
      /runbook typo.*maxAttempt/,
    );
  });

  it("fingerprints alerts by their labels, whatever their order", () => {
    expect(fingerprintOf({ a: "1", b: "2" })).toBe(fingerprintOf({ b: "2", a: "1" }));
    const alert = fromWebhook({ title: "Disk", severity: "critical", status: "firing", labels: {} });
    expect(alert.labels).toMatchObject({ alertname: "Disk", severity: "critical" });
  });
});
