import { bytes, failure, itemsOf, list, summarize } from "../answers.ts";
import { intent, type Outcome } from "../intent.ts";
import { normalize } from "../text.ts";

interface Fs {
  mount?: string;
  path?: string;
  percent?: number;
  usedPercent?: number;
  used_percent?: number;
  available?: number | string;
  free?: number | string;
  daysUntilFull?: number | null;
  days_until_full?: number | null;
}

const pct = (f: Fs) => f.percent ?? f.usedPercent ?? f.used_percent;
const where = (f: Fs) => f.mount ?? f.path ?? "?";

/** The filesystem a phrase like "media disk" means, from the listed mounts. */
function pickMount(list: Fs[], phrase: unknown): Fs | undefined {
  if (typeof phrase !== "string") return undefined;
  const words = normalize(phrase)
    .split(" ")
    .filter((w) => !["the", "disk", "drive", "volume", "filesystem", "my", "share"].includes(w));
  if (words.includes("root") || words.includes("system")) return list.find((f) => where(f) === "/");
  return list.find((f) => words.some((w) => normalize(where(f)).split(/[/\s]/).includes(w)));
}

function usageAnswer(s: Record<string, unknown>, outcomes: Outcome[]): string {
  const bad = failure(outcomes, "read the disk usage");
  if (bad) return bad;
  const filesystems = itemsOf(outcomes[0]?.output) as Fs[];
  if (!filesystems.length) return summarize(outcomes[0]?.output);
  const one = pickMount(filesystems, s.disk);
  const show = (f: Fs) => {
    const days = f.daysUntilFull ?? f.days_until_full;
    return `${where(f)} is ${pct(f) ?? "?"} % full${days ? `, full in about ${days} days at the current rate` : ""}`;
  };
  if (one) return `${show(one)}.`;
  const sorted = [...filesystems].sort((a, b) => (pct(b) ?? 0) - (pct(a) ?? 0));
  return `${list(sorted.map(show))}.`;
}

const isPath = (v: unknown): v is string => typeof v === "string" && v.startsWith("/");

interface Kind {
  count?: number;
  sizeBytes?: number;
  reclaimableBytes?: number;
}

/** "Docker on local uses 104 GiB: images 38 GiB (12 GiB reclaimable), …". */
function dockerAnswer(output: unknown): string {
  const o = (output ?? {}) as Record<string, unknown>;
  const kinds = ["images", "containers", "volumes", "buildCache"] as const;
  const parts = kinds
    .map((k) => [k, o[k] as Kind | undefined] as const)
    .filter((e): e is readonly [(typeof kinds)[number], Kind] => typeof e[1] === "object" && e[1] !== null)
    .map(([k, v]) => {
      const name = k === "buildCache" ? "build cache" : k;
      const free = v.reclaimableBytes ? ` (${bytes(v.reclaimableBytes)} reclaimable)` : "";
      return `${name} ${bytes(v.sizeBytes ?? 0)}${free}`;
    });
  if (!parts.length) return `Docker disk usage: ${summarize(output)}`;
  const total = kinds.reduce((sum, k) => sum + ((o[k] as Kind | undefined)?.sizeBytes ?? 0), 0);
  return `Docker${typeof o.host === "string" ? ` on ${o.host}` : ""} uses ${bytes(total)}: ${parts.join(", ")}.`;
}

interface Dir {
  path?: string;
  sizeBytes?: number;
  children?: Dir[];
}

/** "/srv/media holds 6.6 TiB; biggest: movies 3.7 TiB, tv 2.4 TiB …". */
function dirAnswer(outcomes: Outcome[]): string {
  const bad = failure(outcomes, "measure that folder");
  if (bad) return bad;
  const dir = outcomes.at(-1)?.output as Dir | undefined;
  if (!dir?.path) return summarize(dir, "folder");
  const children = (dir.children ?? []).slice(0, 6).map((c) => `${c.path} ${bytes(c.sizeBytes ?? 0)}`);
  return `${dir.path} holds ${bytes(dir.sizeBytes ?? 0)}${children.length ? `; biggest: ${children.join(", ")}` : ""}.`;
}

export const storageIntents = [
  intent({
    name: "storage.usage",
    templates: [
      "how much [disk|free] (space|room) (is left|do i have|is free|is available) [on {disk}]",
      "(is|are) [the] {disk} getting full",
      "df [-h|h]",
      "how full (is|are) [the] {disk}",
      "how full are [the|my] (disks|drives|filesystems)",
      "(show|check|whats|what is) [the] disk (usage|space) [of|on {disk}]",
      "(is|are) [the] {disk} (full|almost full|running out of space)",
      "when will [the] {disk} be full",
      "(am i|are we) running out of (disk|space|disk space)",
      "disk (usage|space)",
    ],
    slots: { disk: "text" },
    // A path ("/srv/media") asks about the filesystem holding it; a name ("media disk") is picked from the list.
    plan: (s) => [{ tool: "storage_disk_usage", args: isPath(s.disk) ? { path: s.disk } : {} }],
    answer: usageAnswer,
  }),
  intent({
    name: "storage.dir",
    templates: [
      "(what is|whats) (eating|using|taking up) [all] [the] [space|disk space|disk] [in|on] {path}",
      "(how big|what size) is {path}",
      "(show|check) [the] (size|sizes) of {path}",
      "(whats|what is) [the] (biggest|largest) (folder|directory|thing|dir) (under|in|on) {path}",
      "how big is [the] {folder} (folder|directory|dir) (on|in|under) {path}",
    ],
    slots: { path: "path", folder: "text" },
    plan: (s) => [
      {
        tool: "storage_dir_size",
        args: {
          path: typeof s.folder === "string" ? `${String(s.path).replace(/\/$/, "")}/${s.folder}` : s.path,
        },
      },
    ],
    answer: (_s, outcomes) => dirAnswer(outcomes),
  }),
  intent({
    name: "storage.eating",
    templates: [
      "(whats|what is) (eating|using|filling|taking up) [all] [the space on] [my|the] {disk}",
      "(whats|what is) (using|eating|taking) [up] all (that|the|this) (space|room|disk)",
      "(whats|what is) (filling|eating) [up] [my|the] {disk} (disk|drive)",
    ],
    slots: { disk: "text" },
    // After a question about one filesystem, "that space" is that filesystem.
    plan: (s, ctx) => {
      const earlier = ctx.recent?.find((args) => isPath(args.path))?.path;
      if (!s.disk && isPath(earlier)) return [{ tool: "storage_dir_size", args: { path: earlier } }];
      return [{ tool: "storage_disk_usage", args: isPath(s.disk) ? { path: s.disk } : {} }];
    },
    next: (s, outcomes) => {
      if (outcomes.length !== 1 || outcomes[0]!.tool !== "storage_disk_usage") return undefined;
      const filesystems = itemsOf(outcomes[0]!.output) as Fs[];
      const one =
        pickMount(filesystems, s.disk ?? "root") ?? (filesystems.length === 1 ? filesystems[0] : undefined);
      return one ? [{ tool: "storage_dir_size", args: { path: where(one) } }] : undefined;
    },
    answer: (_s, outcomes) =>
      dirAnswer(
        outcomes.filter((o) => o.tool === "storage_dir_size").length
          ? outcomes.filter((o) => o.tool === "storage_dir_size")
          : outcomes,
      ),
  }),
  intent({
    name: "storage.docker",
    templates: [
      "how much (space|disk) (does|is) docker (use|using|take)",
      "docker (disk usage|space usage|storage)",
      "how much (space|disk|disk space|storage) (does|is) docker (use|using|take|taking|taking up)",
      "how much (space|disk) do [my] (docker images|images|containers|volumes|docker volumes|docker containers) (use|take)",
      "how much [space|disk] (could|can) i (reclaim|free) (from|in|with) docker",
      "docker disk usage on [the] {host}",
      "how much (space|disk) (does|is) docker (use|using|take|taking) on [the] {host}",
    ],
    slots: { host: "host" },
    plan: (s) => [{ tool: "storage_docker_usage", args: s.host ? { host: s.host } : {} }],
    answer: (_s, outcomes) =>
      failure(outcomes, "read Docker's disk usage") ?? dockerAnswer(outcomes[0]?.output),
  }),
  intent({
    name: "storage.cleanup",
    templates: [
      "what (could|can|should) i (clean up|delete|remove|free)",
      "(how|where) (can|could) i free [up] [some] [disk] space",
      "(make|give me|show) a cleanup plan",
      "(help me|i need to) free [up] [some] [disk] space",
      "[the] {disk} is (nearly|almost|getting|pretty) full [what] (could|can|should) i (delete|clean up|remove)",
      "what (could|can|should) i (delete|clean up|remove) (on|from) [the] {disk}",
      "suggest what i (could|can|should) (clean up|delete|remove)",
    ],
    slots: { disk: "text" },
    plan: () => [{ tool: "storage_cleanup_plan", args: {} }],
    answer: (_s, outcomes) =>
      failure(outcomes, "make a cleanup plan") ??
      `Cleanup plan (nothing was deleted): ${summarize(outcomes[0]?.output, "suggestion")}`,
  }),
];
