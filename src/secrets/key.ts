import { randomBytes, scryptSync } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JarvisError } from "../errors.ts";
import type { Secret } from "../secret.ts";

/** Where the key lives on embedded defaults: created once, mode 0600, never rewritten. */
export const keyFileName = "secret.key";

/**
 * The 32-byte key of the secret store. JARVIS_SECRET_KEY wins: 64 hex digits are the key itself,
 * anything else (at least 16 characters) is a passphrase stretched with scrypt. Without it, the
 * key file in the data directory is read, or created on the very first start. `memory://` data
 * directories (tests, benchmarks) get a random key that lives as long as the process.
 */
export function loadSecretKey(options: { dataDir: string; key?: Secret }): Buffer {
  if (options.key) return keyFromSetting(options.key.reveal());
  if (options.dataDir.startsWith("memory://")) return randomBytes(32);
  mkdirSync(options.dataDir, { recursive: true });
  const path = join(options.dataDir, keyFileName);
  try {
    // "wx": never overwrite a key that exists, even if two processes start at once.
    writeFileSync(path, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
    chmodSync(path, 0o600); // the umask may have narrowed the mode further; never widened it
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new JarvisError("unavailable", `Cannot create the secret key file ${path}`, { cause: error });
    }
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new JarvisError(
      "invalid_config",
      `The secret key file ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`,
    );
  }
  const text = readFileSync(path, "utf8").trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new JarvisError(
      "invalid_config",
      `The secret key file ${path} is damaged (expected 64 hex digits); restore it from a backup`,
    );
  }
  return Buffer.from(text, "hex");
}

function keyFromSetting(value: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, "hex");
  if (value.length < 16) {
    throw new JarvisError(
      "invalid_config",
      "Invalid configuration:\n- JARVIS_SECRET_KEY: give 64 hex digits or a passphrase of at least 16 characters",
    );
  }
  return scryptSync(value, "jarvis-secret-store", 32);
}
