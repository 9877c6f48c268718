import { failure, itemsOf, list, summarize } from "../answers.ts";
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

export const storageIntents = [
  intent({
    name: "storage.usage",
    templates: [
      "how much [disk|free] space (is left|do i have|is free|is available) [on {disk}]",
      "how full (is|are) [the] {disk}",
      "how full are [the|my] (disks|drives|filesystems)",
      "(show|check|whats|what is) [the] disk (usage|space) [of|on {disk}]",
      "(is|are) [the] {disk} (full|almost full|running out of space)",
      "when will [the] {disk} be full",
      "(am i|are we) running out of (disk|space|disk space)",
      "disk (usage|space)",
    ],
    slots: { disk: "text" },
    plan: () => [{ tool: "storage_disk_usage", args: {} }],
    answer: usageAnswer,
  }),
  intent({
    name: "storage.dir",
    templates: [
      "(what is|whats) (eating|using|taking up) [all] [the] [space|disk space|disk] [in|on] {path}",
      "(how big|what size) is {path}",
      "(show|check) [the] (size|sizes) of {path}",
    ],
    slots: { path: "path" },
    plan: (s) => [{ tool: "storage_dir_size", args: { path: s.path } }],
    answer: (s, outcomes) =>
      failure(outcomes, `measure ${s.path}`) ?? `In ${s.path}: ${summarize(outcomes[0]?.output, "folder")}`,
  }),
  intent({
    name: "storage.docker",
    templates: [
      "how much (space|disk) (does|is) docker (use|using|take)",
      "docker (disk usage|space usage|storage)",
      "how much (space|disk|disk space|storage) (does|is) docker (use|using|take|taking|taking up)",
      "how much (space|disk) do [my] (docker images|images|containers|volumes) (use|take)",
    ],
    plan: () => [{ tool: "storage_docker_usage", args: {} }],
    answer: (_s, outcomes) =>
      failure(outcomes, "read Docker's disk usage") ?? `Docker disk usage: ${summarize(outcomes[0]?.output)}`,
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
    ],
    slots: { disk: "text" },
    plan: () => [{ tool: "storage_cleanup_plan", args: {} }],
    answer: (_s, outcomes) =>
      failure(outcomes, "make a cleanup plan") ??
      `Cleanup plan (nothing was deleted): ${summarize(outcomes[0]?.output, "suggestion")}`,
  }),
];
