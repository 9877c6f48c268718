import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log.ts";
import type { Tokens } from "./tokens.ts";

/**
 * With no API token at all, creates an admin token and writes it to `<data dir>/admin-token`
 * (mode 0600). The log says where it is, never what it is.
 */
export async function ensureAdminToken(
  tokens: Tokens,
  dataDir: string,
  log: Logger,
): Promise<string | undefined> {
  if ((await tokens.count()) > 0) return undefined;
  const { token } = await tokens.create({ name: "admin", role: "admin" });
  const path = join(dataDir, "admin-token");
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  log.info(`first start: created an admin API token; it is in ${path} (readable only by this user)`);
  return path;
}
