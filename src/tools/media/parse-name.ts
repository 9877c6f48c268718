/**
 * Parses a downloaded media file name into a movie (title, year) or TV episodes (show, season,
 * episode numbers). Release tags (resolutions, sources, codecs, audio, release groups) end the
 * title and are never taken for a year. Anything it cannot read with confidence is `undefined`:
 * the import lists it instead of guessing.
 */

export type ParsedName =
  | { kind: "movie"; title: string; year: number }
  | { kind: "episode"; show: string; year?: number; season: number; episodes: number[] };

export const videoExtensions = new Set([
  "mkv",
  "mp4",
  "m4v",
  "avi",
  "mov",
  "wmv",
  "ts",
  "m2ts",
  "webm",
  "mpg",
  "mpeg",
]);

/** Tokens that start the release-tag tail of a name (compared lower-case, without a `-group` suffix). */
const tags = new Set([
  "2160p",
  "1080p",
  "1080i",
  "720p",
  "576p",
  "480p",
  "4k",
  "uhd",
  "8k",
  "bluray",
  "blu-ray",
  "bdrip",
  "brrip",
  "bdremux",
  "remux",
  "web",
  "web-dl",
  "webdl",
  "webrip",
  "hdtv",
  "hdrip",
  "dvdrip",
  "dvd",
  "dvdscr",
  "hdcam",
  "cam",
  "ts",
  "amzn",
  "nf",
  "dsnp",
  "hmax",
  "atvp",
  "x264",
  "x265",
  "h264",
  "h265",
  "hevc",
  "avc",
  "xvid",
  "divx",
  "av1",
  "vp9",
  "10bit",
  "8bit",
  "hdr",
  "hdr10",
  "hdr10+",
  "dv",
  "dovi",
  "sdr",
  "dts",
  "dts-hd",
  "truehd",
  "atmos",
  "ac3",
  "aac",
  "aac2",
  "dd5",
  "ddp5",
  "ddp",
  "dd",
  "eac3",
  "flac",
  "opus",
  "mp3",
  "proper",
  "repack",
  "extended",
  "unrated",
  "remastered",
  "imax",
  "limited",
  "internal",
  "multi",
  "dubbed",
  "subbed",
  "complete",
  "criterion",
]);

const isTag = (token: string) => {
  const t = token.toLowerCase().replace(/^[[(]|[\])]$/g, "");
  return tags.has(t) || tags.has(t.split("-")[0]!) || /^(ddp?|aac|dts)\d/.test(t) || /^\d{3,4}p$/.test(t);
};

const maxYear = () => new Date().getUTCFullYear() + 1;
const yearOf = (token: string): number | undefined => {
  const m = token.match(/^\(?((?:19|20)\d{2})\)?$/);
  const year = m ? Number(m[1]) : undefined;
  return year && year >= 1900 && year <= maxYear() ? year : undefined;
};

/** Title words as people write them: separators become spaces, brackets and stray dashes go. */
function cleanTitle(tokens: string[]): string {
  return tokens
    .join(" ")
    .replace(/[[\](){}]/g, " ")
    .replace(/[\\/:*?"<>|]/g, " ")
    .replace(/\s+-\s*$|^\s*-\s+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[-\s]+|[-\s]+$/g, "");
}

/** Splits a name (without extension) into words, dropping a leading `[group]` or `www.site.org -`. */
function tokenize(name: string): string[] {
  const stripped = name
    .replace(/^\s*\[[^\]]*\]\s*/, "")
    .replace(/^\s*www\.[a-z0-9-]+\.[a-z]{2,}\s*-?\s*/i, "");
  return stripped.split(/[\s._]+/).filter(Boolean);
}

/** Show name, plus a year in it ("Doctor Who 2005" → Doctor Who, 2005). */
function showOf(tokens: string[]): { show: string; year?: number } | undefined {
  const words = [...tokens];
  while (words.length && /^[-–]$/.test(words.at(-1)!)) words.pop();
  const year = words.length > 1 ? yearOf(words.at(-1)!) : undefined;
  if (year) words.pop();
  const show = cleanTitle(words);
  return show ? { show, year } : undefined;
}

const episodePattern = /^s(\d{1,2})e(\d{1,3})((?:-?e\d{1,3}|-\d{1,3})*)$/i;
const crossPattern = /^(\d{1,2})x(\d{2,3})((?:-\d{1,2}x?\d{2,3}|x\d{2,3})*)$/i;

function episodesFrom(first: number, rest: string): number[] | undefined {
  const more = [...rest.matchAll(/\d{1,3}(?!x)/gi)].map((m) => Number(m[0]));
  const last = more.at(-1);
  // S01E01-E03 means 1, 2, 3; S01E01E02 lists them.
  const list =
    rest.includes("-") && last !== undefined && last > first
      ? Array.from({ length: last - first + 1 }, (_, i) => first + i)
      : [first, ...more];
  if (list.some((n, i) => i > 0 && n <= list[i - 1]!) || list.length > 20) return undefined;
  return list;
}

function parseEpisode(tokens: string[]): ParsedName | undefined {
  for (let i = 0; i < tokens.length; i++) {
    // "S01E02-GROUP" or "S01E02[tag]": compare the leading part only.
    const token = tokens[i]!.replace(/[[(].*$/, "");
    const se = token.match(episodePattern) ?? token.replace(/-[a-z][a-z0-9]*$/i, "").match(episodePattern);
    const cross = se ? undefined : token.match(crossPattern);
    const m = se ?? cross;
    if (!m) continue;
    const season = Number(m[1]);
    const episodes = episodesFrom(Number(m[2]), (m[3] ?? "").replace(/\d{1,2}x/gi, ""));
    const show = showOf(tokens.slice(0, i));
    if (!show || !episodes) return undefined;
    return { kind: "episode", show: show.show, year: show.year, season, episodes };
  }
  return undefined;
}

function parseMovie(tokens: string[]): ParsedName | undefined {
  const tagAt = tokens.findIndex((t, i) => i > 0 && isTag(t));
  const head = tagAt === -1 ? tokens : tokens.slice(0, tagAt);
  // A year in parentheses wins; otherwise the last year-like word that leaves a title before it.
  let at = head.findIndex((t, i) => i > 0 && /^\(\d{4}\)$/.test(t) && yearOf(t));
  if (at === -1) {
    for (let i = head.length - 1; i > 0; i--) {
      if (yearOf(head[i]!)) {
        at = i;
        break;
      }
    }
  }
  if (at <= 0) return undefined;
  const title = cleanTitle(head.slice(0, at));
  return title ? { kind: "movie", title, year: yearOf(head[at]!)! } : undefined;
}

/** Parses a file name (with or without its extension). */
export function parseMediaName(fileName: string): ParsedName | undefined {
  const base = fileName.replace(/\.[a-z0-9]{2,4}$/i, (ext) =>
    videoExtensions.has(ext.slice(1).toLowerCase()) ? "" : ext,
  );
  const tokens = tokenize(base);
  if (tokens.length === 0) return undefined;
  return parseEpisode(tokens) ?? parseMovie(tokens);
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Where a parsed file goes, relative to its library root, with Plex's naming:
 * `Title (Year)/Title (Year).ext` or `Show/Season 01/Show - s01e02.ext` (`Specials` for season 0).
 */
export function libraryPath(parsed: ParsedName, ext: string): string[] {
  const e = ext.toLowerCase();
  if (parsed.kind === "movie") {
    const name = `${parsed.title} (${parsed.year})`;
    return [name, `${name}.${e}`];
  }
  const show = parsed.year ? `${parsed.show} (${parsed.year})` : parsed.show;
  const eps = parsed.episodes.map((n) => `e${pad(n)}`);
  const code = `s${pad(parsed.season)}${eps[0]}${eps.length > 1 ? `-${eps.at(-1)}` : ""}`;
  return [show, parsed.season === 0 ? "Specials" : `Season ${pad(parsed.season)}`, `${show} - ${code}.${e}`];
}
