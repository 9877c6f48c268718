import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.ts";

describe("Plex, Sunshine and media import settings", () => {
  it("reads them from the environment, keeping the token and password secret", () => {
    const config = loadConfig(
      {
        PLEX_URL: "http://192.168.1.10:32400",
        PLEX_TOKEN: "tok-123",
        PLEX_PATH_MAP: "/srv/media=/media, /mnt/nas=/nas",
        JARVIS_MOVIES_DIR: "/srv/media/movies",
        SUNSHINE_URL: "https://gaming-pc:47990",
        SUNSHINE_PASSWORD: "pw-456",
        SUNSHINE_CERT_SHA256: `${"AB:".repeat(31)}AB`,
      },
      "/",
    );
    expect(config.plex).toMatchObject({ url: "http://192.168.1.10:32400", timeoutSeconds: 10 });
    expect(config.plex.pathMap).toEqual(["/srv/media=/media", "/mnt/nas=/nas"]);
    expect(config.media).toEqual({ moviesDir: "/srv/media/movies", importWaitSeconds: 10 });
    expect(loadConfig({ JARVIS_IMPORT_WAIT_SECONDS: "0" }, "/").media.importWaitSeconds).toBe(0);
    expect(config.sunshine).toMatchObject({ user: "admin", url: "https://gaming-pc:47990" });
    expect(JSON.stringify(config)).not.toMatch(/tok-123|pw-456/);
  });

  it("names each bad variable and changes nothing", () => {
    expect(() => loadConfig({ PLEX_URL: "http://plex:32400" }, "/")).toThrowError(
      /set both PLEX_URL and PLEX_TOKEN, or neither/,
    );
    expect(() => loadConfig({ PLEX_PATH_MAP: "media=/media" }, "/")).toThrowError(
      /- PLEX_PATH_MAP: local=plex with two absolute paths/,
    );
    expect(() => loadConfig({ SUNSHINE_URL: "https://gaming-pc:47990" }, "/")).toThrowError(
      /SUNSHINE_PASSWORD is needed with SUNSHINE_URL/,
    );
    expect(() => loadConfig({ JARVIS_IMPORT_WAIT_SECONDS: "-1" }, "/")).toThrowError(
      /- JARVIS_IMPORT_WAIT_SECONDS: /,
    );
    expect(() => loadConfig({ SUNSHINE_CERT_SHA256: "abc" }, "/")).toThrowError(
      /- SUNSHINE_CERT_SHA256: a SHA-256 fingerprint/,
    );
  });
});
