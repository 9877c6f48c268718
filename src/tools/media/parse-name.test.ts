import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { libraryPath, type ParsedName, parseMediaName } from "./parse-name.ts";

interface Case {
  name: string;
  expected: ParsedName | undefined;
}

/** The corpus: fixtures/names.txt, one `<name> => <expected>` per line. */
function loadCorpus(): Case[] {
  const text = readFileSync(new URL("./fixtures/names.txt", import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => {
      const [name, spec] = line.split(" => ") as [string, string];
      const [kind, ...fields] = spec.split(" | ").map((f) => f.trim());
      if (kind === "none") return { name, expected: undefined };
      if (kind === "movie")
        return { name, expected: { kind: "movie", title: fields[0]!, year: Number(fields[1]) } };
      const [show, year, season, episodes] = fields as [string, string, string, string];
      return {
        name,
        expected: {
          kind: "episode",
          show,
          year: year === "-" ? undefined : Number(year),
          season: Number(season),
          episodes: episodes.split(",").map(Number),
        },
      };
    });
}

const corpus = loadCorpus();

/** Release tails seen on real downloads: each must end the title, none may become the year. */
const tails = [
  "1080p.BluRay.x264-SPARKS.mkv",
  "2160p.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX.mkv",
  "720p.WEBRip.AAC2.0.x264-1080.mp4",
];

/** Each movie of the corpus again, dot-separated, with each tail. */
const variants: Case[] = corpus.flatMap(({ expected }) =>
  expected?.kind === "movie" && !/[,']/.test(expected.title)
    ? tails.map((tail) => ({
        name: `${expected.title.replace(/ /g, ".")}.${expected.year}.${tail}`,
        expected,
      }))
    : [],
);

describe("parseMediaName", () => {
  it("has a corpus of at least 150 names", () => {
    expect(corpus.length + variants.length).toBeGreaterThanOrEqual(150);
  });

  it.each(corpus.map((c) => [c.name, c.expected] as const))("%s", (name, expected) => {
    const parsed = parseMediaName(name);
    expect(parsed === undefined ? undefined : JSON.parse(JSON.stringify(parsed))).toEqual(
      expected === undefined ? undefined : JSON.parse(JSON.stringify(expected)),
    );
  });

  it("reads every movie again with real release tails", () => {
    const wrong = variants.filter(
      (v) => JSON.stringify(parseMediaName(v.name)) !== JSON.stringify(v.expected),
    );
    expect(wrong.map((v) => `${v.name} → ${JSON.stringify(parseMediaName(v.name))}`)).toEqual([]);
  });
});

describe("libraryPath (Plex naming)", () => {
  it("files a movie in its own folder", () => {
    expect(libraryPath({ kind: "movie", title: "Arrival", year: 2016 }, "MKV")).toEqual([
      "Arrival (2016)",
      "Arrival (2016).mkv",
    ]);
  });

  it("files episodes by show and season, multi-episode files as a range, season 0 as Specials", () => {
    expect(libraryPath({ kind: "episode", show: "Severance", season: 1, episodes: [2] }, "mkv")).toEqual([
      "Severance",
      "Season 01",
      "Severance - s01e02.mkv",
    ]);
    expect(libraryPath({ kind: "episode", show: "Friends", season: 1, episodes: [1, 2, 3] }, "mkv")).toEqual([
      "Friends",
      "Season 01",
      "Friends - s01e01-e03.mkv",
    ]);
    expect(
      libraryPath({ kind: "episode", show: "Doctor Who", year: 2005, season: 0, episodes: [1] }, "mp4"),
    ).toEqual(["Doctor Who (2005)", "Specials", "Doctor Who (2005) - s00e01.mp4"]);
  });
});
