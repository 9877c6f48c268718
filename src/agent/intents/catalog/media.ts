import { duration, failure, itemsOf, label, list, plural, summarize } from "../answers.ts";
import { intent } from "../intent.ts";
import { sunshineReport } from "./status-reports.ts";

export const plexIntents = [
  intent({
    name: "plex.libraries",
    templates: [
      "(list|show|what) [are] [the|my] (plex libraries|libraries|plex sections)",
      "what libraries (are|do i have) [on plex]",
      "(what|which) plex libraries (are there|do i have|exist)",
      "how many (movies|shows|tv shows|episodes|albums|songs|films) (are|do i have|have i got) (in|on) plex",
      "how many (movies|films|shows|tv shows|series|tv series|artists) (have we got|do we have|have i got|do i have) [(in|on) plex]",
    ],
    plan: () => [{ tool: "plex_list_libraries", args: {} }],
    answer: (_s, o) =>
      failure(o, "list the Plex libraries") ??
      `Plex ${summarize(o[0]?.output, "library").replace(/^(\d+) librarys/, "$1 libraries")}`,
  }),
  intent({
    name: "plex.last-scan",
    templates: [
      "when was [the] [plex] {library} [library] last (scanned|updated|refreshed)",
      "when did plex last (scan|update|refresh) [the] {library} [library]",
    ],
    slots: { library: "library" },
    plan: () => [{ tool: "plex_list_libraries", args: {} }],
    answer: (s, o, ctx) => {
      const bad = failure(o, "list the Plex libraries");
      if (bad) return bad;
      const wanted = String(s.library).toLowerCase();
      const lib = itemsOf(o[0]?.output).find((l) => String(l.title).toLowerCase() === wanted);
      if (!lib) return `Plex has no library called ${s.library}.`;
      if (typeof lib.lastScanned !== "string") return `Plex does not say when ${lib.title} was last scanned.`;
      const ago = (ctx.now.getTime() - Date.parse(lib.lastScanned)) / 1000;
      return `The ${lib.title} library was last scanned ${duration(Math.max(0, ago))} ago.`;
    },
  }),
  intent({
    name: "plex.playing",
    templates: [
      "(whats|what is|who is|whos) (playing|watching|streaming) [on|from] [plex] [right now|now]",
      "(is|are) (anyone|anybody|someone|somebody) transcoding [on plex] [right now|now|at the moment]",
      "(is|are) (anyone|anybody|someone|somebody) (watching|streaming|using) [plex] [right now|now]",
      "(plex|now playing) (sessions|activity|streams)",
      "(is|are) (anyone|anybody|someone|somebody) (watching|streaming|playing) (something|anything) [on plex] [right now|now]",
    ],
    plan: () => [{ tool: "plex_now_playing", args: {} }],
    answer: (_s, o) => {
      const bad = failure(o, "ask Plex");
      if (bad) return bad;
      const sessions = itemsOf(o[0]?.output);
      if (!sessions.length) return "Nothing is playing on Plex right now.";
      const who = sessions.map(
        (x) =>
          `${label(x)}${x.user ? ` (${String(x.user)}${x.decision ? `, ${String(x.decision)}` : ""})` : ""}`,
      );
      return `${plural(sessions.length, "stream")} on Plex: ${list(who)}.`;
    },
  }),
  intent({
    name: "plex.search",
    templates: [
      "(search|look) [plex] for {query} [on plex|in plex]",
      "(do i have|is there) {query} (on|in) plex",
      "find {query} (on|in) plex",
      "(have we got|do we have|have i got) {query} (on|in) plex",
      "(is|are) {query} (in|on) [my|the] plex [library]",
    ],
    slots: { query: "text" },
    plan: (s) => [{ tool: "plex_search", args: { query: s.query } }],
    answer: (s, o) =>
      failure(o, `search Plex for ${s.query}`) ??
      (itemsOf(o[0]?.output).length === 0
        ? `Plex has nothing matching "${s.query}".`
        : `Plex search for "${s.query}": ${summarize(o[0]?.output, "result")}`),
  }),
  intent({
    name: "plex.seasons",
    templates: ["how many seasons of {query} (are|do i have|do we have|have we got) (on|in) plex"],
    slots: { query: "text" },
    plan: (s) => [{ tool: "plex_search", args: { query: s.query } }],
    answer: (s, o) => {
      const bad = failure(o, `search Plex for ${s.query}`);
      if (bad) return bad;
      const show = itemsOf(o[0]?.output).find((x) => x.type === "show");
      if (!show) return `Plex has no show matching "${s.query}".`;
      return `${label(show)} has ${plural(Number(show.seasons ?? 0), "season")} on Plex${show.episodes ? ` (${plural(Number(show.episodes), "episode")})` : ""}.`;
    },
  }),
  intent({
    name: "plex.scan-folder",
    templates: ["(scan|refresh|rescan) {path} (in|of) [the] [plex] {library} [library]"],
    slots: { path: "path", library: "library" },
    plan: (s) => [{ tool: "plex_scan_library", args: { library: s.library, path: s.path } }],
    answer: (s, o) => failure(o, `scan ${s.path}`) ?? `Started a scan of ${s.path} in ${s.library}.`,
  }),
  intent({
    name: "plex.new-episodes",
    templates: [
      "make plex (pick up|find|see|notice) [the] new (episodes|shows)",
      "(scan|check) [plex] for new (episodes|shows)",
    ],
    plan: (_s, ctx) => [
      {
        tool: "plex_scan_library",
        args: {
          library: ctx.inventory.plexLibraries.find((l) => /tv|show|series/i.test(l)) ?? "TV Shows",
        },
      },
    ],
    answer: (_s, o) => failure(o, "scan for new episodes") ?? "Started a scan of the TV library.",
  }),
  intent({
    name: "plex.import-dry-run",
    templates: [
      "what would happen if i (imported|import) {path} [into plex] [dont change anything [yet]]",
      "(plan|preview) [the] import [of] {path} [into plex]",
    ],
    slots: { path: "path" },
    plan: (s) => [{ tool: "plex_import_media", args: { source: s.path, dry_run: true } }],
    answer: (s, o) =>
      failure(o, `plan the import from ${s.path}`) ??
      `Import plan for ${s.path} (nothing moved yet): ${summarize(o[0]?.output, "file")}`,
  }),
  intent({
    name: "plex.scan",
    templates: [
      "(scan|refresh|rescan|update) [the] [plex] {library} [library|section]",
      "(scan|refresh|rescan) [the] [plex] (library|section) {library}",
      "(scan|refresh|rescan|update) [the] {library} [library|section] (in|on) plex",
    ],
    slots: { library: "library" },
    plan: (s) => [{ tool: "plex_scan_library", args: { library: s.library } }],
    answer: (s, o) => failure(o, `scan ${s.library}`) ?? `Started a scan of the ${s.library} library.`,
  }),
  intent({
    name: "plex.import",
    templates: [
      "import [the] [media|downloads|files|movies|shows] (from|in) {path} [into plex]",
      "(add|move) [the] [media|downloads] (from|in) {path} (to|into) plex",
      "import {path} (into|to) plex [{library}]",
      "(import|add) {path} (into|to) [the] {library} [library]",
      "{mode} {path} (into|to) [the] [plex] {library} [library]",
    ],
    slots: {
      path: "path",
      library: "library",
      mode: { type: "word", values: { move: "move", copy: "copy", hardlink: "hardlink", link: "hardlink" } },
    },
    plan: (s) => [
      {
        tool: "plex_import_media",
        args: {
          source: s.path,
          ...(s.library ? { library: s.library } : {}),
          ...(s.mode ? { mode: s.mode } : {}),
        },
      },
    ],
    answer: (s, o) => failure(o, `import ${s.path}`) ?? importReply(s.path, o[0]?.output),
  }),
];

/** What an executed import did (files filed, skipped and unreadable, what was scanned), or that it goes on. */
function importReply(source: unknown, output: unknown): string {
  const r = (typeof output === "object" && output !== null ? output : {}) as Record<string, unknown>;
  const count = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === "number" ? v : 0);
  if (r.job && r.imported === undefined) {
    // Still running: the call answered with the job and its progress.
    const p = (typeof r.progress === "object" && r.progress !== null ? r.progress : {}) as Record<
      string,
      unknown
    >;
    const done =
      typeof p.totalFiles === "number"
        ? ` (${p.filesDone ?? 0} of ${plural(p.totalFiles, "file")} so far)`
        : "";
    return `The import from ${String(source)} continues in the background as job ${String(r.job)}${done}; follow it in the Jobs view.`;
  }
  const parts = [`Imported ${plural(count(r.imported), "file")} from ${String(source)}`];
  if (count(r.skipped)) parts.push(`${plural(count(r.skipped), "file")} skipped (already there or refused)`);
  if (count(r.unparsed)) parts.push(`${plural(count(r.unparsed), "name")} I could not read`);
  const scanned = Array.isArray(r.scanned) ? r.scanned.length : r.scanned ? 1 : 0;
  parts.push(scanned ? `scanned ${plural(scanned, "folder")}` : "nothing to scan");
  return `${parts.join("; ")}.`;
}

/** Stream details GameStream's /serverinfo does not carry: answered as unseen, never guessed. */
const unseenBySunshine: Record<string, string> = {
  resolution: "the stream's resolution",
  "frame rate": "the stream's frame rate",
  framerate: "the stream's frame rate",
  fps: "the stream's frame rate",
  bitrate: "the stream's bitrate",
};

export const sunshineIntents = [
  intent({
    name: "sunshine.status",
    templates: [
      "(is|are) [the] (sunshine|gaming pc|game streaming|{host}) (up|running|online|ok|streaming)",
      "(sunshine|game streaming) status",
      "(whats|what is) being (streamed|played) (from|on) [the] (gaming pc|sunshine|{host}) [right now|now]",
      "(whats|what is|which game is) (running|playing) on [the] (gaming pc|sunshine|{host})",
      "(is|are) (sunshine|game streaming) (up|running|online|ok) (on|at) [the] (gaming pc|{host})",
      "(is|are) (anything|anyone|someone) (streaming|playing|being streamed) (from|on) [the] (gaming pc|sunshine|{host}) [right now|now]",
      "(what|which) {unseen} is [the] (game stream|stream|gaming pc|sunshine|{host}) [running|streaming] [at|in]",
      "(whats|what is) [the] {unseen} of [the] (game stream|stream)",
    ],
    slots: { host: "sunshineHost", unseen: { type: "word", values: unseenBySunshine } },
    plan: (s) => [{ tool: "sunshine_status", args: s.host ? { host: s.host } : {} }],
    answer: (s, o) =>
      failure(o, "ask Sunshine") ??
      sunshineReport(o[0]?.output, typeof s.unseen === "string" ? s.unseen : undefined),
  }),
  intent({
    name: "sunshine.apps",
    templates: [
      "(list|show|what) [are] [the] (games|apps|sunshine apps) [can i stream|on sunshine|on the gaming pc]",
      "what (games|apps) can i stream",
      "what (games|apps) does (sunshine|the gaming pc|{host}) have",
      "what (games|apps) can i (stream|play) (from|on) [the] (gaming pc|{host}|sunshine)",
    ],
    slots: { host: "sunshineHost" },
    plan: () => [{ tool: "sunshine_list_apps", args: {} }],
    answer: (_s, o) =>
      failure(o, "list the Sunshine apps") ?? `Streamable: ${summarize(o[0]?.output, "app")}`,
  }),
  intent({
    name: "sunshine.clients",
    templates: [
      "(list|show|which|what) [are] [the] (paired clients|paired devices|moonlight clients|clients) [are paired] [on sunshine]",
      "(which|what) devices are paired [with sunshine]",
      "(is|are) [the] {client} [still] paired [with|to] [sunshine|the gaming pc]",
    ],
    slots: { client: "sunshineClient" },
    plan: () => [{ tool: "sunshine_list_clients", args: {} }],
    answer: (s, o) => {
      const failed = failure(o, "list the paired clients");
      if (failed || typeof s.client !== "string")
        return failed ?? `Paired: ${summarize(o[0]?.output, "client")}`;
      const names = itemsOf(o[0]?.output).map(label);
      return names.includes(s.client)
        ? `Yes, ${s.client} is paired with Sunshine.`
        : `No, ${s.client} is not paired; paired: ${list(names)}.`;
    },
  }),
  intent({
    name: "sunshine.pair",
    templates: [
      "pair [a] [new] [moonlight] (client|device) (called|named) {name} (with|using) [the] pin {pin}",
      "pair [the] [moonlight] [client|device] {name} (with|using) [the] pin {pin}",
      "pair [a] [new] [moonlight] (client|device) [called|named] {name} [with] pin {pin}",
      "pair [my] [new] {name} with (sunshine|the gaming pc) [the] pin is {pin}",
      "pair [my] [new] {name} [with sunshine] using pin {pin}",
    ],
    slots: { name: "text", pin: "pin" },
    plan: (s) => [{ tool: "sunshine_pair_client", args: { pin: s.pin, name: s.name } }],
    answer: (s, o) => failure(o, `pair ${s.name}`) ?? `Paired ${s.name}.`,
  }),
  intent({
    name: "sunshine.close",
    templates: [
      "(close|quit|stop|end|exit) the (game|app|stream|running game|current game)",
      "(close|quit|stop|end|exit) the (current|running) (app|game) [on (sunshine|[the] gaming pc|{host})]",
      "(close|quit|stop) [the] game on [the] (gaming pc|sunshine)",
      "(close|quit|stop|end) the (game stream|stream|streaming session) [on [the] (gaming pc|sunshine)]",
    ],
    slots: { host: "sunshineHost" },
    plan: () => [{ tool: "sunshine_close_app", args: {} }],
    answer: (_s, o) => failure(o, "close the app") ?? "Closed the running app.",
  }),
  intent({
    name: "sunshine.unpair",
    templates: [
      "unpair [the] [client|device] {client}",
      "(remove|forget) [the] (paired client|paired device|moonlight client) {client}",
      "unpair [the] {client} from (sunshine|the gaming pc)",
      "(remove|unpair|forget) [the] {client} from (sunshine|sunshines|the gaming pcs) (paired devices|paired clients|devices|clients)",
    ],
    slots: { client: "sunshineClient" },
    plan: (s) => [{ tool: "sunshine_unpair_client", args: { client: s.client } }],
    answer: (s, o) => failure(o, `unpair ${s.client}`) ?? `Unpaired ${s.client}.`,
  }),
];
