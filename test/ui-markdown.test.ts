import { describe, expect, it } from "vitest";
import { escapeHtml, renderInline, renderMarkdown } from "../ui/src/markdown.ts";

describe("the console's Markdown renderer", () => {
  it("renders paragraphs, emphasis, code and lists", () => {
    expect(renderMarkdown("Hello **world** and *you*.\n\nSecond `a<b>` para")).toBe(
      "<p>Hello <strong>world</strong> and <em>you</em>.</p>\n<p>Second <code>a&lt;b&gt;</code> para</p>",
    );
    expect(renderMarkdown("- one\n- **two**\n\n1. first\n2. second")).toBe(
      "<ul><li>one</li><li><strong>two</strong></li></ul>\n<ol><li>first</li><li>second</li></ol>",
    );
    expect(renderMarkdown("```sh\necho <hi> && rm -rf /\n```")).toBe(
      '<pre data-lang="sh"><code>echo &lt;hi&gt; &amp;&amp; rm -rf /</code></pre>',
    );
    expect(renderMarkdown("line one\nline two")).toBe("<p>line one<br>line two</p>");
    expect(renderMarkdown("## Status")).toBe("<p><strong>Status</strong></p>");
  });

  it("links only http(s) URLs, with rel=noopener", () => {
    expect(renderInline("see [docs](https://example.org/a?b=1&c=2)")).toBe(
      'see <a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a>',
    );
    expect(renderInline("[x](javascript:alert(1))")).not.toContain("<a");
    expect(renderInline("[x](data:text/html,<script>alert(1)</script>)")).not.toContain("<script");
    expect(renderInline("[x](JaVaScRiPt:alert(1))")).not.toContain("href");
  });

  it("never lets HTML from the model or a tool through", () => {
    const attacks = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "**<svg onload=alert(1)>**",
      "[<img src=x onerror=alert(1)>](https://ok.example)",
      '[ok](https://ok.example" onmouseover="alert(1))',
      "`</code><script>alert(1)</script>`",
      "```\n</code></pre><script>alert(1)</script>\n```",
      "- <iframe src=javascript:alert(1)>",
      "    <script>indented</script>",
      "&lt;script&gt; stays text",
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(attack);
      // every tag in the output is one the renderer writes, with no attribute but its own
      for (const tag of html.match(/<[^>]*>/g) ?? []) {
        expect(tag, attack).toMatch(
          /^<(\/(p|strong|em|code|ul|ol|li|pre|a)|p|br|strong|em|code|ul|ol|li|pre( data-lang="[\w+-]+")?|a href="https?:\/\/[^"<>\s]+" target="_blank" rel="noopener noreferrer")>$/,
        );
      }
      expect(html, attack).not.toContain('href="javascript');
    }
    expect(renderMarkdown("&lt;b&gt;")).toBe("<p>&amp;lt;b&amp;gt;</p>");
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;");
  });
});
