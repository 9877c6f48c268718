import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { secrets } from "../db/schema.ts";
import { JarvisError } from "../errors.ts";
import { Secret } from "../secret.ts";

/** Credentials encrypted at rest. Values go in as strings and come out as `Secret`s (they print as ***). */
export interface SecretStore {
  put(name: string, value: string | Secret): Promise<void>;
  /** The value, or undefined when no secret has that name. */
  get(name: string): Promise<Secret | undefined>;
  /** The value, or a not_found error that says how to store it. */
  require(name: string): Promise<Secret>;
  /** True when a secret was deleted. */
  delete(name: string): Promise<boolean>;
  /** Stored names (never values). */
  names(): Promise<string[]>;
}

const checkName = ".key-check";
const checkValue = "jarvis secret store key check v1";
const namePattern = /^[a-z0-9][a-z0-9_.:/-]{0,199}$/i;

interface Row {
  iv: string;
  tag: string;
  ciphertext: string;
}

function encrypt(key: Buffer, name: string, value: string): Row {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(name, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return {
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
}

/** Decrypts a row; undefined when the tag does not verify (wrong key, or a damaged row). */
function decrypt(key: Buffer, name: string, row: Row): string | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(row.iv, "base64"));
    decipher.setAAD(Buffer.from(name, "utf8"));
    decipher.setAuthTag(Buffer.from(row.tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(row.ciphertext, "base64")), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return undefined;
  }
}

function validName(name: string): string {
  if (!namePattern.test(name) || name === checkName) {
    throw new JarvisError(
      "invalid_input",
      `Invalid secret name "${name.slice(0, 64)}": letters, digits, '_', '.', ':', '/' or '-', at most 200`,
    );
  }
  return name;
}

/**
 * The secret store over the `secrets` table. Before the first read or write it checks the key
 * against the stored key check (writing one on a fresh database), so a wrong key fails every call
 * with one clear error and never writes a row the right key could not read.
 */
export function createSecretStore(options: { db: Db; key: Buffer }): SecretStore {
  const { db, key } = options;
  if (key.length !== 32) throw new Error("The secret store key must be 32 bytes");
  let verified: Promise<void> | undefined;

  async function verify(): Promise<void> {
    const [row] = await db.select().from(secrets).where(eq(secrets.name, checkName));
    if (!row) {
      await db
        .insert(secrets)
        .values({ name: checkName, ...encrypt(key, checkName, checkValue) })
        .onConflictDoNothing();
      const [written] = await db.select().from(secrets).where(eq(secrets.name, checkName));
      if (written && decrypt(key, checkName, written) === checkValue) return;
    } else if (decrypt(key, checkName, row) === checkValue) return;
    throw new JarvisError(
      "invalid_config",
      "The secret store's key does not match the key its secrets were stored with: JARVIS_SECRET_KEY " +
        "changed, or the key file in the data directory was replaced. Restore the original key; " +
        "nothing was read or written.",
    );
  }
  const ready = () => {
    verified ??= verify().catch((error) => {
      verified = undefined; // a database hiccup may pass; a wrong key fails again next time
      throw error;
    });
    return verified;
  };

  async function get(name: string): Promise<Secret | undefined> {
    validName(name);
    await ready();
    const [row] = await db.select().from(secrets).where(eq(secrets.name, name));
    if (!row) return undefined;
    const plain = decrypt(key, name, row);
    if (plain === undefined) {
      throw new JarvisError("internal", `The stored secret "${name}" is damaged and cannot be decrypted`);
    }
    return new Secret(plain);
  }

  return {
    get,
    async put(name, value) {
      validName(name);
      await ready();
      const plain = typeof value === "string" ? value : value.reveal();
      const row = encrypt(key, name, plain);
      await db
        .insert(secrets)
        .values({ name, ...row })
        .onConflictDoUpdate({ target: secrets.name, set: { ...row, updatedAt: new Date() } });
    },
    async require(name) {
      const value = await get(name);
      if (!value) {
        throw new JarvisError(
          "not_found",
          `No secret named "${name}" is stored; an admin stores it with \`jarvis secrets set ${name}\` or PUT /api/secrets/${name}`,
        );
      }
      return value;
    },
    async delete(name) {
      validName(name);
      await ready();
      const deleted = await db
        .delete(secrets)
        .where(eq(secrets.name, name))
        .returning({ name: secrets.name });
      return deleted.length > 0;
    },
    async names() {
      await ready();
      const rows = await db.select({ name: secrets.name }).from(secrets);
      return rows
        .map((r) => r.name)
        .filter((n) => n !== checkName)
        .sort();
    },
  };
}
