import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../log.ts";

/** The chat console's source folder (ui/). */
export const uiDir = fileURLToPath(new URL("../../ui", import.meta.url));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when ui/dist is missing or older than any file in ui/. */
export function uiBuildStale(dir: string = uiDir): boolean {
  const index = join(dir, "dist", "index.html");
  return !existsSync(index) || statSync(index).mtimeMs < newestSource(dir);
}

/**
 * Builds the chat console with Vite's JS API when its build is missing or stale; called by
 * `serve` before listening (never at import time), so `npm start` always serves the current UI.
 */
export async function ensureUiBuilt(log: Logger, dir: string = uiDir): Promise<boolean> {
  if (!existsSync(join(dir, "index.html")) || !uiBuildStale(dir)) return false;
  log.info("building the chat console (ui/dist is missing or older than ui/)");
  const started = Date.now();
  const { build } = await import("vite");
  await build({ configFile: join(dir, "vite.config.ts"), root: dir, logLevel: "warn" });
  log.info(`chat console built in ${Date.now() - started} ms`);
  return true;
}
