import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("loadConfig", () => {
  it("runs on embedded defaults with no configuration", () => {
    const config = loadConfig({}, "/srv/jarvis");
    expect(config.server).toEqual({ host: "127.0.0.1", port: 8750, allowedHosts: [], allowedOrigins: [] });
    expect(config.dataDir).toBe("/srv/jarvis/data");
    expect(config.database.url).toBeUndefined();
    expect(config.model).toBe("local");
    expect(config.docker.hosts).toEqual([{ name: "local", url: "unix:///var/run/docker.sock" }]);
  });

  it("reads watched domains from the environment or YAML, and names a bad one", () => {
    const config = loadConfig(
      { JARVIS_DOMAINS: "Example.org, media.example.org", JARVIS_DNS_SERVERS: "1.1.1.1" },
      "/",
    );
    expect(config.domains.watch).toEqual([{ domain: "example.org" }, { domain: "media.example.org" }]);
    expect(config.domains.dnsServers).toEqual(["1.1.1.1"]);
    expect(config.incidents.monitors.domains).toEqual({
      enabled: true,
      intervalMinutes: 60,
      warningDays: 14,
      criticalDays: 3,
    });
    expect(() => loadConfig({ JARVIS_DOMAINS: "example.org,not a domain" }, "/")).toThrowError(
      /JARVIS_DOMAINS: .*domain name/,
    );
  });

  it("names every bad variable, one problem per line", () => {
    expect(() =>
      loadConfig({ PORT: "http", JARVIS_MODEL: "gpt-4", JARVIS_LOG_LEVEL: "loud" }, "/"),
    ).toThrowError(/PORT: .*\n- JARVIS_LOG_LEVEL: .*\n- JARVIS_MODEL: /s);
  });

  it("reads jarvis.yaml, lets the environment win, and names YAML keys in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "jarvis-config-"));
    const file = join(dir, "jarvis.yaml");
    writeFileSync(
      file,
      "server:\n  port: 9000\ndocker:\n  hosts:\n    - name: local\n      url: unix:///run/docker.sock\n    - name: nas\n      url: tcp://nas:2376\npolicy:\n  rules:\n    - tool: docker_restart_container\n      target: plex\n      action: allow\n",
    );
    const config = loadConfig({ JARVIS_CONFIG: file, PORT: "9100" }, dir);
    expect(config.server.port).toBe(9100);
    expect(config.docker.hosts.map((h) => h.name)).toEqual(["local", "nas"]);
    expect(config.policy.rules[0]).toMatchObject({ target: "plex", action: "allow" });

    writeFileSync(file, "policy:\n  rules:\n    - tool: x\n      action: maybe\nbogus: 1\n");
    expect(() => loadConfig({ JARVIS_CONFIG: file }, dir)).toThrowError(
      /jarvis\.yaml: policy\.rules\.0\.action: .*\n.*jarvis\.yaml: .*bogus/s,
    );
  });

  it("keeps secrets out of printed config", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://jarvis:hunter2@db/jarvis" }, "/");
    expect(JSON.stringify(config)).not.toContain("hunter2");
    expect(config.database.url?.reveal()).toContain("hunter2");
  });

  it("takes several Docker hosts from JARVIS_DOCKER_HOSTS", () => {
    const config = loadConfig(
      { JARVIS_DOCKER_HOSTS: "local=unix:///var/run/docker.sock,nas=ssh://admin@nas" },
      "/",
    );
    expect(config.docker.hosts).toEqual([
      { name: "local", url: "unix:///var/run/docker.sock" },
      { name: "nas", url: "ssh://admin@nas" },
    ]);
  });

  it("takes allowed hosts and origins as comma-separated lists", () => {
    const config = loadConfig(
      { JARVIS_ALLOWED_HOSTS: "jarvis.lan, nas.lan:8750", JARVIS_ALLOWED_ORIGINS: "https://ide.lan" },
      "/",
    );
    expect(config.server.allowedHosts).toEqual(["jarvis.lan", "nas.lan:8750"]);
    expect(config.server.allowedOrigins).toEqual(["https://ide.lan"]);
  });

  it("reads mounted MCP servers from jarvis.yaml, with header values as secrets", () => {
    const dir = mkdtempSync(join(tmpdir(), "jarvis-config-"));
    const file = join(dir, "jarvis.yaml");
    writeFileSync(
      file,
      [
        "mcp:",
        "  servers:",
        "    - name: homeassistant",
        "      url: http://ha.lan:8123/api/mcp",
        "      headers: { Authorization: Bearer ha-long-lived-token }",
        "      prefix: hass",
        "    - name: files",
        "      stdio: { command: npx, args: [server-filesystem, /srv] }",
        "",
      ].join("\n"),
    );
    const config = loadConfig({ JARVIS_CONFIG: file }, dir);
    const [ha, files] = config.mcp.servers;
    expect(ha).toMatchObject({ name: "homeassistant", prefix: "hass", enabled: true });
    expect(ha?.headers.Authorization?.reveal()).toBe("Bearer ha-long-lived-token");
    expect(JSON.stringify(config)).not.toContain("ha-long-lived-token");
    expect(files?.stdio).toEqual({ command: "npx", args: ["server-filesystem", "/srv"], env: {} });

    writeFileSync(
      file,
      "mcp:\n  servers:\n    - name: both\n      url: http://x/mcp\n      stdio: { command: x }\n",
    );
    expect(() => loadConfig({ JARVIS_CONFIG: file }, dir)).toThrowError(
      /mcp\.servers\.0: give either stdio or url/,
    );
  });
});
