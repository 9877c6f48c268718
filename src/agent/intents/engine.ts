import type { Intent, IntentContext, SlotSpec, Slots, SlotType } from "./intent.ts";
import { fuzzyPick, parseDay, parseSince, parseWhen, type Resolution, resolveEntity } from "./resolve.ts";
import { compile, matchTemplate, type Template } from "./template.ts";
import { normalize } from "./text.ts";

export interface Recognition {
  intent: Intent;
  slots: Slots;
  /** 0–1: 1 for literal matches with exact names, lower for fuzzy names and loose templates. */
  confidence: number;
}

const literal =
  (values: readonly string[]) =>
  (phrase: string): Resolution | undefined =>
    fuzzyPick(phrase, values);

function resolveSlot(spec: SlotSpec, phrase: string, ctx: IntentContext): Resolution | undefined {
  const inv = ctx.inventory;
  switch (spec.type) {
    case "container":
      return literal(inv.containers.map((c) => c.name))(phrase.replace(/^(the|my) /, ""));
    case "host":
      return literal(inv.hosts)(phrase);
    case "stack":
      return literal(inv.stacks)(phrase);
    case "entity":
      return resolveEntity(phrase, inv, spec.domains);
    case "area":
      return literal(inv.areas)(phrase.replace(/^(the|my) /, ""));
    case "library":
      return literal(inv.plexLibraries)(phrase.replace(/ (library|section)$/, ""));
    case "job":
      return literal(inv.backupJobs)(phrase.replace(/ (backup|job|backups)$/, ""));
    case "database":
      return literal(inv.databases)(phrase.replace(/ (database|db)$/, ""));
    case "sunshineHost":
      return literal(inv.sunshineHosts)(phrase);
    case "sunshineApp":
      return literal(inv.sunshineApps)(phrase);
    case "sunshineClient":
      return literal(inv.sunshineClients)(phrase);
    case "nas":
      return literal(inv.nasDevices)(phrase);
    case "share":
      return literal(inv.nasShares)(phrase.replace(/ share$/, ""));
    case "domain":
      return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(phrase)
        ? { value: phrase, score: 1 }
        : literal(inv.domains)(phrase);
    case "template":
      return literal(inv.deployTemplates)(phrase.replace(/^(a|an|new) /, ""));
    case "app":
      return literal(inv.deployApps)(phrase);
    case "number":
      return /^\d+$/.test(phrase) ? { value: Number(phrase), score: 1 } : undefined;
    case "hours": {
      const since = parseSince(phrase);
      if (!since)
        return /^(hour|day|week)$/.test(phrase)
          ? { value: { hour: 1, day: 24, week: 168 }[phrase], score: 1 }
          : undefined;
      const n = Number(since.slice(0, -1));
      return { value: since.endsWith("m") ? n / 60 : n, score: 1 };
    }
    case "since": {
      const since =
        parseSince(phrase) ?? ({ hour: "1h", day: "24h", week: "168h" } as Record<string, string>)[phrase];
      return since ? { value: since, score: 1 } : undefined;
    }
    case "day": {
      const range = parseDay(phrase, ctx.now);
      return range ? { value: range, score: 1 } : undefined;
    }
    case "when": {
      const when = parseWhen(phrase, ctx.now);
      return when ? { value: when, score: 1 } : undefined;
    }
    case "path":
      return /^[/~.]/.test(phrase) && !phrase.includes(" ") ? { value: phrase, score: 1 } : undefined;
    case "pin":
      return /^\d{4}$/.test(phrase) ? { value: phrase, score: 1 } : undefined;
    case "word": {
      const value = spec.values?.[phrase];
      return value ? { value, score: 1 } : undefined;
    }
    case "text":
      return phrase.length ? { value: phrase, score: 0.9 } : undefined;
  }
}

const spec = (s: SlotType | SlotSpec): SlotSpec => (typeof s === "string" ? { type: s } : s);

interface Compiled {
  intent: Intent;
  templates: Array<Template & { groups: Set<string>[] }>;
}

type Element = Template["elements"][number];

const wordsIn = (elements: Element[]): string[] =>
  elements.flatMap((e) =>
    e.kind === "word" ? [e.word] : e.kind === "choice" ? e.options.flatMap(wordsIn) : [],
  );

/**
 * Groups of words a template cannot match without (one word of each group must be in the
 * utterance): a literal is a group of one; a required `(a|b c)` is the group {a, b, c}. A cheap
 * prefilter that skips most templates before any backtracking.
 */
function requiredGroups(template: Template): Set<string>[] {
  const groups: Set<string>[] = [];
  for (const element of template.elements) {
    if (element.kind === "word") groups.push(new Set([element.word]));
    else if (
      element.kind === "choice" &&
      !element.optional &&
      element.options.every((o) => wordsIn(o).length > 0)
    ) {
      groups.push(new Set(element.options.flatMap(wordsIn)));
    }
  }
  return groups;
}

/**
 * The local intent engine: finds the intent and slots an utterance expresses, deterministically,
 * among the intents whose tools are available.
 */
export function createRecognizer(intents: readonly Intent[]) {
  const compiled: Compiled[] = intents.map((intent) => ({
    intent,
    templates: intent.templates.map((source) => {
      const template = compile(source);
      return { ...template, groups: requiredGroups(template) };
    }),
  }));

  return function recognize(
    utterance: string,
    ctx: IntentContext,
    available?: (intent: Intent) => boolean,
  ): Recognition | undefined {
    const words = normalize(utterance).split(" ").filter(Boolean);
    if (words.length === 0 || words.length > 40) return undefined;
    const present = new Set(words);
    let best: Recognition | undefined;
    const memo = new Map<string, Resolution | undefined>();
    const resolve = (slot: SlotSpec, phrase: string) => {
      const key = `${slot.type}|${slot.domains?.join(",") ?? ""}|${slot.values ? Object.keys(slot.values).join(",") : ""}|${phrase}`;
      if (!memo.has(key)) memo.set(key, resolveSlot(slot, phrase, ctx));
      return memo.get(key);
    };
    for (const { intent, templates } of compiled) {
      if (available && !available(intent)) continue;
      for (const template of templates) {
        if (!template.groups.every((group) => [...group].some((w) => present.has(w)))) continue;
        for (const captures of matchTemplate(template, words)) {
          let score = 1;
          let fixedWords = 0;
          const slots: Slots = {};
          let ok = true;
          for (const [name, phrase] of Object.entries(captures)) {
            const slotSpec = intent.slots?.[name];
            const resolved = slotSpec ? resolve(spec(slotSpec), phrase) : undefined;
            if (!resolved) {
              ok = false;
              break;
            }
            slots[name] = resolved.value;
            if (slotSpec && spec(slotSpec).type === "word") fixedWords++;
            score = Math.min(score, resolved.score);
          }
          if (!ok) continue;
          // Literal words make a match specific; free text slots make it loose.
          const captured = Object.values(captures).join(" ").split(" ").length;
          const confidence =
            score * Math.min(1, 0.7 + 0.15 * (template.literals + fixedWords)) * (captured > 6 ? 0.9 : 1);
          if (!best || confidence > best.confidence) best = { intent, slots, confidence };
          break;
        }
      }
    }
    return best;
  };
}
export type Recognize = ReturnType<typeof createRecognizer>;
