/** Small text helpers shared by the lexical embedder, consolidation and full-text queries. */

const stopWords = new Set(
  "a an and are as at be but by do does for from had has have i in is it its me my of on or our so that the their them then there these they this to was we were what when where which who why will with you your".split(
    " ",
  ),
);

/** Lower-case words (letters, digits, dots and dashes inside a word kept: `192.168.1.50`, `uptime-kuma`). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.\-_][\p{L}\p{N}]+)*/gu) ?? []).filter(Boolean);
}

/** Words without common function words. */
export function contentWords(text: string): string[] {
  return words(text).filter((word) => !stopWords.has(word));
}

const copula = /\s(?:is|are|was|were|lives at|runs on|runs|uses|has|equals|=|:)\s/i;

/**
 * The subject and value of a simple statement of fact ("the NAS IP is 192.168.1.50" →
 * subject "nas ip", value "192.168.1.50"), or undefined when the text is not of that shape.
 */
export function subjectOf(text: string): { subject: string; value: string } | undefined {
  const padded = ` ${text.trim().replace(/\s+/g, " ")} `;
  const match = copula.exec(padded);
  if (!match) return undefined;
  const subject = contentWords(padded.slice(0, match.index)).join(" ");
  const value = contentWords(padded.slice(match.index + match[0].length)).join(" ");
  if (!subject || !value) return undefined;
  return { subject, value };
}
