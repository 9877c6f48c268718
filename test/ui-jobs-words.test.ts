import { describe, expect, it } from "vitest";
import { progressWords, stateTone } from "../ui/src/job-words.ts";

describe("the console's words for job progress", () => {
  it("reads a progress object as its stage and its figures, in words", () => {
    expect(progressWords({ stage: "dumping", bytesDone: 1_048_576, tables: 12 })).toEqual({
      stage: "dumping",
      figures: ["bytes done 1,048,576", "tables 12"],
    });
    expect(progressWords({ filesDone: 3 })).toEqual({ stage: undefined, figures: ["files done 3"] });
  });

  it("leaves out what is not a plain figure; a stage that is not text is a figure", () => {
    expect(progressWords({ stage: 4, nested: { a: 1 }, list: [1], ok: true })).toEqual({
      stage: undefined,
      figures: ["stage 4", "ok true"],
    });
  });

  it("gives each state its tone", () => {
    expect(["waiting", "delayed", "active", "completed", "failed"].map(stateTone)).toEqual([
      "",
      "warn",
      "busy",
      "ok",
      "bad",
    ]);
  });
});
