/**
 * Turns an answer into something a speaker can say: no markdown (emphasis, headings, code, links,
 * tables, bullets), one line, and short: at most `maxSentences` sentences.
 */
export function speakable(text: string, maxSentences = 4): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}#{1,6}\s+/gm, "")
    .replace(/^\s*[-*+]\s+/gm, "")
    .replace(/^\s*\d+\.\s+/gm, "")
    .replace(/^\s*\|.*\|\s*$/gm, " ")
    .replace(/(\*\*|__|\*|~~)(\S[\s\S]*?\S|\S)\1/g, "$2")
    .replace(/(\w)_(?=\w)/g, "$1 ")
    .replace(/[*#>|]/g, " ")
    .trim()
    .replace(/([.!?:;,])\s*\n+\s*/g, "$1 ")
    .replace(/\s*\n+\s*/g, ". ")
    .replace(/\.\s*\./g, ".")
    .replace(/\s+/g, " ")
    .trim();
  return plain
    .split(/(?<=[.!?])\s+/)
    .slice(0, maxSentences)
    .join(" ")
    .trim();
}
