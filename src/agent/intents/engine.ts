import type { Intent, IntentContext, SlotSpec, Slots, SlotType } from "./intent.ts";
import {
  fuzzyPick,
  parseDay,
  parseSince,
  parseSpan,
  parseWhen,
  type Resolution,
  resolveEntity,
} from "./resolve.ts";
import { compile, matchTemplate, type Template } from "./template.ts";
import { distance, normalize, oneTypoApart } from "./text.ts";

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

/** Which argument of an earlier call a pronoun of each slot type refers to. */
const pronounKeys: Partial<Record<SlotType, string>> = {
  container: "container",
  job: "job",
  database: "database",
  entity: "entity_id",
  library: "library",
  share: "share",
  app: "name",
  host: "host",
  domain: "domain",
  sunshineClient: "client",
};

function resolveSlot(spec: SlotSpec, phrase: string, ctx: IntentContext): Resolution | undefined {
  const inv = ctx.inventory;
  const key = pronounKeys[spec.type];
  if (
    key &&
    /^(it|its|that|this|them|the same|(that|this|the same|a fresh|a new|another) (one|1)|the container|the backup|the job|the app)$/.test(
      phrase,
    )
  ) {
    const earlier = ctx.recent?.find((args) => typeof args[key] === "string")?.[key];
    return earlier === undefined ? undefined : { value: earlier, score: 0.9 };
  }
  switch (spec.type) {
    case "container": {
      const names = literal(inv.containers.map((c) => c.name));
      const bare = phrase.replace(/^(the|my) /, "");
      // "the plex server", "the sonarr container": a kind word after the name is not part of it.
      const kindless = bare.replace(/ (server|container|service|instance)$/, "");
      return names(bare) ?? (kindless !== bare ? names(kindless) : undefined);
    }
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
    case "domain": {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(phrase)) return literal(inv.domains)(phrase);
      if (inv.domains.includes(phrase) || phrase.length < 6) return { value: phrase, score: 1 };
      // A watched domain a typo or two away ("exmaple.org") is the one meant; other names are checked as said.
      const near = inv.domains.find((d) => distance(d, phrase, 2) <= 2);
      return near ? { value: near, score: 0.85 } : { value: phrase, score: 1 };
    }
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
    case "span": {
      const span = parseSpan(phrase, ctx.now);
      return span ? { value: span, score: 1 } : undefined;
    }
    case "path":
      return /^[/~.]/.test(phrase) && !phrase.includes(" ") ? { value: phrase, score: 1 } : undefined;
    case "id":
      // A record's id is one token with a digit ("inc-104", "mem_12", a UUID); never a plain word.
      return /^(?=.*\d)[a-z0-9][a-z0-9_-]{0,63}$/.test(phrase) ? { value: phrase, score: 1 } : undefined;
    case "identifier":
      // A name to give something ("nextcloud-db", "status 2"): up to three words, none of them a
      // connector of the sentence around it ("for nextcloud and call it nextcloud-db" is no name).
      return /^[a-z0-9][a-z0-9_-]*( [a-z0-9][a-z0-9_-]*){0,2}$/.test(phrase) &&
        !/\b(and|call|called|named|it|for|the|with|on|to)\b/.test(phrase)
        ? { value: phrase, score: 1 }
        : undefined;
    case "snapshot":
      return /^[0-9a-f]{6,64}$/.test(phrase) ? { value: phrase, score: 1 } : undefined;
    case "recipient":
      return /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(phrase) || /^(me|myself)$/.test(phrase)
        ? { value: phrase, score: 1 }
        : undefined;
    case "pin":
      return /^\d{4}$/.test(phrase) ? { value: phrase, score: 1 } : undefined;
    case "word": {
      const values = spec.values ?? {};
      const value = values[phrase];
      if (value) return { value, score: 1 };
      // One typo in a one-word value ("opne", "volumse"), when the typo names a single value.
      if (phrase.includes(" ")) return undefined;
      const near = new Set(
        Object.keys(values)
          .filter((key) => !key.includes(" ") && oneTypoApart(key, phrase))
          .map((key) => values[key]!),
      );
      return near.size === 1 ? { value: [...near][0], score: 0.85 } : undefined;
    }
    case "text":
      return phrase.length ? { value: phrase, score: 0.9 } : undefined;
  }
}

const spec = (s: SlotType | SlotSpec): SlotSpec => (typeof s === "string" ? { type: s } : s);

/** Slots whose value is taken as said: matching lower-cases them, so their case is put back. */
const caseKept = new Set<SlotType>(["path", "text"]);

/**
 * Puts back the case the user typed in path and free-text slots ("/srv/Downloads/Show.S01",
 * "remember that the NAS IP is …"): a value found verbatim, case aside, in the utterance takes its
 * original spelling; one that normalizing changed otherwise (punctuation, number words) stays.
 */
function withCase(found: Recognition, utterance: string): Recognition {
  const lower = utterance.toLowerCase();
  let slots: Slots | undefined;
  for (const [name, value] of Object.entries(found.slots)) {
    const slotSpec = found.intent.slots?.[name];
    if (typeof value !== "string" || !slotSpec || !caseKept.has(spec(slotSpec).type)) continue;
    const at = lower.indexOf(value);
    const original = at < 0 ? undefined : utterance.slice(at, at + value.length);
    if (original && original !== value && original.toLowerCase() === value) {
      slots ??= { ...found.slots };
      slots[name] = original;
    }
  }
  return slots ? { ...found, slots } : found;
}

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
function requiredGroups(template: Template, slots: Intent["slots"]): Set<string>[] {
  const groups: Set<string>[] = [];
  for (const element of template.elements) {
    if (element.kind === "word") groups.push(new Set([element.word]));
    else if (element.kind === "slot") {
      const slot = slots?.[element.name];
      const values = slot && typeof slot !== "string" && slot.type === "word" ? slot.values : undefined;
      if (values) groups.push(new Set(Object.keys(values).map((v) => v.split(" ")[0]!)));
    } else if (
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
 * and, when nothing fits, why.
 */
export function createRecognizer(intents: readonly Intent[]) {
  const compiled: Compiled[] = intents.map((intent) => ({
    intent,
    templates: intent.templates.map((source) => {
      const template = compile(source);
      return { ...template, groups: requiredGroups(template, intent.slots) };
    }),
  }));

  function recognizeOne(utterance: string, ctx: IntentContext, misses: Miss[]): Recognition | undefined {
    const words = normalize(utterance).split(" ").filter(Boolean);
    if (words.length === 0 || words.length > 40) return undefined;
    const present = new Set(words);
    const nearMemo = new Map<string, boolean>();
    // A template word also counts as present when a token is a one-letter typo of it.
    const near = (word: string): boolean => {
      let hit = nearMemo.get(word);
      if (hit === undefined) {
        hit = words.some((t) => oneTypoApart(word, t));
        nearMemo.set(word, hit);
      }
      return hit;
    };
    let best: Recognition | undefined;
    const memo = new Map<string, Resolution | undefined>();
    const resolve = (slot: SlotSpec, phrase: string) => {
      const key = `${slot.type}|${slot.domains?.join(",") ?? ""}|${slot.values ? Object.keys(slot.values).join(",") : ""}|${phrase}`;
      if (!memo.has(key)) memo.set(key, resolveSlot(slot, phrase, ctx));
      return memo.get(key);
    };
    for (const { intent, templates } of compiled) {
      for (const template of templates) {
        if (!template.groups.every((group) => [...group].some((w) => present.has(w) || near(w)))) continue;
        for (const captures of matchTemplate(template, words)) {
          let score = 1;
          let fixedWords = 0;
          const slots: Slots = {};
          let ok = true;
          for (const [name, phrase] of Object.entries(captures)) {
            const slotSpec = intent.slots?.[name];
            const resolved = slotSpec ? resolve(spec(slotSpec), phrase) : undefined;
            if (!resolved) {
              const type = slotSpec ? spec(slotSpec).type : undefined;
              if (type && inventoryTypes.has(type) && !pronoun.test(phrase))
                misses.push({ intent, type, phrase, literals: template.literals });
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
  }

  /**
   * Recognizes an utterance: as said, then without politeness ("could you please … for me"),
   * then clause by clause ("unlock the front door, the cleaner is here" acts on the first clause).
   */
  function recognize(utterance: string, ctx: IntentContext): Recognition | undefined {
    const misses: Miss[] = [];
    for (const variant of variants(utterance)) {
      const found = recognizeOne(variant, ctx, misses);
      if (found) return withCase(found, utterance);
    }
    return undefined;
  }

  /** Why nothing was recognized, when a sentence fit but a name did not ("restart jellyfin"). */
  function diagnose(utterance: string, ctx: IntentContext): Miss | undefined {
    const misses: Miss[] = [];
    for (const variant of variants(utterance)) recognizeOne(variant, ctx, misses);
    const best = misses.sort((a, b) => b.literals - a.literals || a.phrase.length - b.phrase.length)[0];
    return best && best.literals >= 1 && best.type !== "entity" && best.type !== "nas" ? best : undefined;
  }

  /**
   * An elliptic follow-up ("and sonarr?", "what about radarr") repeats the previous request with
   * one name changed: the earlier utterance is recognized again and the new name put in the slot
   * whose type it resolves as.
   */
  function followUp(
    utterance: string,
    earlier: readonly string[],
    ctx: IntentContext,
  ): Recognition | undefined {
    const m = /^(?:and|what about|how about|also|same for|and for|and what about)\s+(?:the\s+)?(.+?)$/.exec(
      normalize(utterance),
    );
    if (!m) return undefined;
    for (const text of earlier) {
      const previous = recognize(text, ctx);
      if (!previous?.intent.slots) continue;
      for (const [name, slotSpec] of Object.entries(previous.intent.slots)) {
        const resolved = inventoryTypes.has(spec(slotSpec).type)
          ? resolveSlot(spec(slotSpec), m[1]!, ctx)
          : undefined;
        if (resolved)
          return {
            ...previous,
            slots: { ...previous.slots, [name]: resolved.value },
            confidence: previous.confidence * resolved.score * 0.9,
          };
      }
    }
    return undefined;
  }

  return Object.assign(recognize, { diagnose, followUp });
}
export type Recognize = ReturnType<typeof createRecognizer>;

/** A sentence that fit an intent except for a name the inventory does not have. */
export interface Miss {
  intent: Intent;
  type: SlotType;
  phrase: string;
  literals: number;
}

const inventoryTypes = new Set<SlotType>([
  "container",
  "host",
  "stack",
  "entity",
  "library",
  "job",
  "database",
  "sunshineClient",
  "share",
  "template",
  "app",
  "nas",
]);
// Normalizing says "one" as "1": "that one" arrives as "that 1".
const pronoun = /^(it|its|that|this|them|the same|(that|this|the same|a fresh|a new|another) (one|1))$/;

const leading =
  /^((hey|hi|ok|okay|yo)\s+)?(jarvis\s+)?((please|pls|kindly)\s+)?((can|could|would|will)\s+you\s+(please\s+)?)?((i\s+(want|would like|need|d like)\s+(you\s+)?to)\s+)?((please|just|quickly|go ahead and|now|then|and now|so)\s+)?/;
const trailing =
  /(\s+(please|pls|for me|for now|for a bit|thanks|thank you|asap|quickly|real quick|right now|now|at the moment|then))+$/;

/** The utterance, then without fillers, then its clauses. */
function variants(utterance: string): string[] {
  const out = [utterance];
  const plain = normalize(utterance).replace(leading, "").replace(trailing, "").trim();
  if (plain && plain !== normalize(utterance)) out.push(plain);
  const clauses = utterance
    .split(/[,;:]|\s+(?:but|because|since|as|so)\s+|\s+-\s+/i)
    .map((c) => c.trim())
    .filter(Boolean);
  if (clauses.length > 1) {
    for (const clause of clauses) {
      out.push(clause);
      const bare = normalize(clause).replace(leading, "").replace(trailing, "").trim();
      if (bare && bare !== normalize(clause)) out.push(bare);
    }
  }
  return out;
}
