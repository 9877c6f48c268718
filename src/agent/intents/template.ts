import { oneTypoApart } from "./text.ts";

/**
 * Sentence templates in the spirit of Home Assistant's hassil: literal words, `(a|b c)`
 * alternatives, `[optional words]` and `{slot}` captures, matched against the tokens of an
 * utterance with backtracking. Slots capture one or more tokens; the resolver decides whether a
 * capture names something real.
 */
type Element =
  | { kind: "word"; word: string }
  | { kind: "choice"; options: Element[][]; optional: boolean }
  | { kind: "slot"; name: string };

export interface Template {
  source: string;
  elements: Element[];
  /** Literal words in the template: more literals means a more specific match. */
  literals: number;
}

function parseSequence(text: string, at: { i: number }, closers: string): Element[][] {
  const options: Element[][] = [[]];
  let word = "";
  const flush = () => {
    if (word) options.at(-1)!.push({ kind: "word", word: word.toLowerCase().replace(/[’']/g, "") });
    word = "";
  };
  while (at.i < text.length) {
    const ch = text[at.i]!;
    if (closers.includes(ch)) {
      flush();
      return options;
    }
    at.i++;
    if (ch === " ") flush();
    else if (ch === "|") {
      flush();
      options.push([]);
    } else if (ch === "(" || ch === "[") {
      flush();
      const inner = parseSequence(text, at, ch === "(" ? ")" : "]");
      at.i++; // the closer
      options.at(-1)!.push({ kind: "choice", options: inner, optional: ch === "[" });
    } else if (ch === "{") {
      flush();
      const end = text.indexOf("}", at.i);
      options.at(-1)!.push({ kind: "slot", name: text.slice(at.i, end) });
      at.i = end + 1;
    } else word += ch;
  }
  flush();
  return options;
}

const countLiterals = (elements: Element[]): number =>
  elements.reduce(
    (n, e) =>
      n +
      (e.kind === "word"
        ? 1
        : e.kind === "choice" && !e.optional
          ? Math.min(...e.options.map(countLiterals))
          : 0),
    0,
  );

export function compile(source: string): Template {
  const [elements = []] = parseSequence(source, { i: 0 }, "");
  return { source, elements, literals: countLiterals(elements) };
}

export type Captures = Record<string, string>;

/** A template word matches the same word, or a one-letter typo of a word of four letters or more. */
function sameWord(expected: string, actual: string | undefined): boolean {
  return actual !== undefined && oneTypoApart(expected, actual);
}

/** All ways the template covers the whole token list, each with its slot captures. */
export function* matchTemplate(template: Template, words: string[]): Generator<Captures> {
  function* walk(
    elements: Element[],
    e: number,
    w: number,
    captures: Captures,
  ): Generator<[number, Captures]> {
    if (e === elements.length) {
      yield [w, captures];
      return;
    }
    const element = elements[e]!;
    if (element.kind === "word") {
      if (sameWord(element.word, words[w])) yield* walk(elements, e + 1, w + 1, captures);
      return;
    }
    if (element.kind === "slot") {
      for (let end = w + 1; end <= words.length; end++) {
        yield* walk(elements, e + 1, end, { ...captures, [element.name]: words.slice(w, end).join(" ") });
      }
      return;
    }
    const options = element.optional ? [...element.options, []] : element.options;
    for (const option of options) {
      for (const [after, caught] of walk(option, 0, w, captures)) yield* walk(elements, e + 1, after, caught);
    }
  }
  for (const [end, captures] of walk(template.elements, 0, 0, {})) {
    if (end === words.length) yield captures;
  }
}
