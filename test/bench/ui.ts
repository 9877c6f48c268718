import { silentLogger } from "../../src/log.ts";
import { ensureUiBuilt } from "../../src/server/ui-build.ts";
import { measureUi } from "../../ui/size.ts";

/**
 * The console's weight: gzipped JS + CSS of the built page against its 100 KB budget (the ratio
 * is size / budget; below 1 is within it). Builds the console first if it is missing or stale.
 */
export async function benchUi() {
  await ensureUiBuilt(silentLogger);
  return measureUi();
}
