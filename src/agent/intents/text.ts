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
    .map((word) => (word in numberWords && word !== "a" ? numberWords[word]! : word))
    .join(" ");
});

export const tokens = (text: string): string[] => normalize(text).split(" ").filter(Boolean);

/** Levenshtein distance, bounded: stops early past `max`. */
export function distance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > max) return max + 1;
    previous = current;
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
