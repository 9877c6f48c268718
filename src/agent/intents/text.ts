/** Text helpers shared by the matcher and the resolvers. */

const numberWords: Record<string, string> = {
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  eleven: "11",
  twelve: "12",
  fifteen: "15",
  twenty: "20",
  thirty: "30",
  "forty-five": "45",
  fifty: "50",
  a: "a",
};

/** Typos of short words that the one-typo rule (words of four letters or more) cannot forgive. */
const shortTypos: Record<string, string> = { teh: "the", hte: "the", adn: "and", fo: "of", ot: "to" };

/** A bounded memo for pure string functions called for every name on every utterance. */
function memo(fn: (text: string) => string, max = 10_000): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = fn(text);
      if (cache.size >= max) cache.clear();
      cache.set(text, value);
    }
    return value;
  };
}

/** Lower case, apostrophes folded ("what's" → "whats"), punctuation to spaces, number words to digits. */
export const normalize = memo((text: string): string => {
  return text
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/[^\p{L}\p{N}\s/._:@#-]+/gu, " ")
    .replace(/(?<=\s|^)[.:]+|[.:]+(?=\s|$)/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => shortTypos[word] ?? (word in numberWords && word !== "a" ? numberWords[word]! : word))
    .join(" ");
});

export const tokens = (text: string): string[] => normalize(text).split(" ").filter(Boolean);

/**
 * Edit distance with transpositions (optimal string alignment: "restrat" is one edit from
 * "restart"), bounded: returns `max + 1` as soon as the distance must exceed `max`.
 */
export function distance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Int32Array(b.length + 1);
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** A key for comparing names: no separators, no articles, singular. */
export const nameKey = memo((text: string): string =>
  normalize(text)
    .replace(/\b(the|my|a|an)\b/g, "")
    .replace(/[\s_.-]+/g, "")
    .replace(/s$/, ""),
);

const closeCache = new Map<string, boolean>();

/**
 * One typo apart (substitution, insertion, deletion or swap), for words of five letters or more;
 * four-letter words only forgive a swap. Memoized: the vocabulary is small and recurs constantly.
 */
export function oneTypoApart(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  if (expected.length < 4 || Math.abs(expected.length - actual.length) > 1) return false;
  if (expected.length === 4 && actual.length === 3) return expected.startsWith(actual); // "ful"
  const key = `${expected}|${actual}`;
  let hit = closeCache.get(key);
  if (hit === undefined) {
    hit =
      expected.length >= 5
        ? distance(expected, actual, 1) <= 1
        : actual.length === 4 && [...expected].sort().join("") === [...actual].sort().join("");
    if (closeCache.size > 50_000) closeCache.clear();
    closeCache.set(key, hit);
  }
  return hit;
}
