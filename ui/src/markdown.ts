/**
 * A small, safe Markdown renderer for answers from the model and tool output. Everything is
 * HTML-escaped first; only the constructs below become markup: paragraphs, fenced and indented
 * code blocks, inline code, bullet and numbered lists, headings (as bold lines), **bold**,
 * *italic*, and [links](https://…) to http(s) URLs only, opened with rel="noopener noreferrer".
 */

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => escapes[ch]!);
}

function safeUrl(raw: string): string | undefined {
  // raw is already escaped; undo only the entity for & so URL.canParse sees the real URL
  const url = raw.replace(/&amp;/g, "&");
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  return escapeHtml(new URL(url).href);
}

/** Inline markup on one already-escaped piece of text (code spans are handled by the caller). */
function emphasis(text: string): string {
  return text
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) => {
      const url = safeUrl(href);
      return url ? `<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>` : whole;
    })
    .replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_\n]+)__/g, "<strong>$1</strong>")
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, "$1<em>$2</em>")
    .replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, "$1<em>$2</em>");
}

/** Renders inline Markdown (code spans, links, bold, italic) of one line or paragraph. */
export function renderInline(text: string): string {
  return text
    .split(/(`[^`\n]+`)/g)
    .map((piece, i) =>
      i % 2 === 1 ? `<code>${escapeHtml(piece.slice(1, -1))}</code>` : emphasis(escapeHtml(piece)),
    )
    .join("");
}

const bullet = /^\s*[-*+]\s+(.*)$/;
const numbered = /^\s*\d+[.)]\s+(.*)$/;

/** Renders Markdown to safe HTML. */
export function renderMarkdown(source: string): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      const lang = fence[2] ? ` data-lang="${escapeHtml(fence[2])}"` : "";
      out.push(`<pre${lang}><code>${escapeHtml(body.join("\n"))}</code></pre>`);
      continue;
    }
    if (line.trim() === "") {
      i++;
      continue;
    }
    const list = bullet.test(line) ? bullet : numbered.test(line) ? numbered : undefined;
    if (list) {
      const items: string[] = [];
      while (i < lines.length && list.test(lines[i]!)) items.push(list.exec(lines[i++]!)![1]!);
      const tag = list === bullet ? "ul" : "ol";
      out.push(`<${tag}>${items.map((item) => `<li>${renderInline(item)}</li>`).join("")}</${tag}>`);
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      out.push(`<p><strong>${renderInline(heading[1]!)}</strong></p>`);
      i++;
      continue;
    }
    if (/^( {4}|\t)/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^( {4}|\t)/.test(lines[i]!) || lines[i]!.trim() === ""))
        body.push(lines[i++]!.replace(/^( {4}|\t)/, ""));
      out.push(`<pre><code>${escapeHtml(body.join("\n").trimEnd())}</code></pre>`);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i]!.trim() !== "" &&
      !bullet.test(lines[i]!) &&
      !numbered.test(lines[i]!) &&
      !/^\s*(```|~~~)/.test(lines[i]!) &&
      !/^#{1,6}\s/.test(lines[i]!)
    )
      para.push(lines[i++]!);
    out.push(`<p>${para.map(renderInline).join("<br>")}</p>`);
  }
  return out.join("\n");
}
