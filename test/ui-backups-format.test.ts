import { describe, expect, it } from "vitest";
import { bytes, duration } from "../ui/src/format.ts";

describe("the console's words for backup progress", () => {
  it("writes byte counts in binary units", () => {
    expect(bytes(0)).toBe("0 B");
    expect(bytes(1023)).toBe("1023 B");
    expect(bytes(1024)).toBe("1.0 KiB");
    expect(bytes(48 * 1024 * 1024)).toBe("48.0 MiB");
    expect(bytes(1.5 * 1024 ** 3)).toBe("1.5 GiB");
    expect(bytes(3 * 1024 ** 5)).toBe("3072.0 TiB");
  });

  it("writes time left in the two largest units", () => {
    expect(duration(0)).toBe("0 s");
    expect(duration(44.6)).toBe("45 s");
    expect(duration(185)).toBe("3 min 5 s");
    expect(duration(2 * 3600 + 10 * 60 + 59)).toBe("2 h 10 min");
    expect(duration(-5)).toBe("0 s");
  });
});
