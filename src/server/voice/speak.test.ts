import { describe, expect, it } from "vitest";
import { speakable } from "./speak.ts";

describe("speakable", () => {
  it("drops markdown and keeps numbers whole", () => {
    expect(speakable("**Outdoor Temperature** is 7.5 °C.")).toBe("Outdoor Temperature is 7.5 °C.");
    expect(speakable("# Status\n- `plex` is *running*\n- see [the docs](http://x)")).toBe(
      "Status. plex is running. see the docs",
    );
  });
  it("says entity ids with spaces, and stops after a few sentences", () => {
    expect(speakable("light.living_room is on.")).toBe("light.living room is on.");
    expect(speakable("One. Two. Three. Four. Five.", 2)).toBe("One. Two.");
  });
});
