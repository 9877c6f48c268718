import { describe, expect, it } from "vitest";
import { compile, matchTemplate } from "./template.ts";
import { distance, normalize } from "./text.ts";

const all = (source: string, text: string) => [...matchTemplate(compile(source), normalize(text).split(" "))];

describe("templates", () => {
  it("matches alternatives, optional words and slots", () => {
    const t = "(restart|bounce|reboot) [the] {container} [container]";
    expect(all(t, "restart plex")).toEqual([{ container: "plex" }]);
    expect(all(t, "Bounce the Plex container!")).toContainEqual({ container: "plex" });
    expect(all(t, "bounce the plex container")).toContainEqual({ container: "plex container" });
    expect(all(t, "stop plex")).toEqual([]);
  });

  it("backtracks over multi-word slots", () => {
    const t = "(turn|switch) (on|off) [the] {entity}";
    expect(all(t, "turn off the kitchen lights")).toContainEqual({ entity: "kitchen lights" });
    expect(
      all(
        "show logs (of|for) {container} [from the last {hours} hours]",
        "show logs of plex from the last 2 hours",
      ),
    ).toContainEqual({
      container: "plex",
      hours: "2",
    });
  });

  it("normalizes text", () => {
    expect(normalize("What's running?")).toBe("whats running");
    expect(normalize("last two hours")).toBe("last 2 hours");
    expect(normalize("is example.org up?")).toBe("is example.org up");
  });

  it("measures edit distance", () => {
    expect(distance("sonar", "sonarr")).toBe(1);
    expect(distance("plex", "plex")).toBe(0);
    expect(distance("abc", "xyzxyz", 2)).toBe(3);
  });
});
