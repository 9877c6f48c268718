import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** The console's size budget: gzipped JS and CSS that the page loads. */
export const uiBudgetBytes = 100 * 1024;

export interface UiSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
  budgetBytes: number;
  /** gzipped size / budget: below 1 is within budget. */
  budgetRatio: number;
}

/**
 * Measures what `ui/dist/index.html` loads: every script and stylesheet it references (and their
 * module preloads), raw and gzipped at level 9.
 */
export function measureUi(dist = fileURLToPath(new URL("./dist", import.meta.url))): UiSize {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const refs = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const files = [...new Set(refs)].map((file) => {
    const content = readFileSync(join(dist, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes,
    budgetBytes: uiBudgetBytes,
    budgetRatio: Number((gzipBytes / uiBudgetBytes).toFixed(3)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = measureUi();
  console.log(JSON.stringify(size, null, 2));
  if (size.gzipBytes > size.budgetBytes) {
    console.error(`the console is ${size.gzipBytes} bytes gzipped, over the ${size.budgetBytes} budget`);
    process.exitCode = 1;
  }
}
