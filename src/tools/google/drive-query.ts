import { JarvisError } from "../../errors.ts";
import type { GoogleClient } from "./client.ts";
import type { DriveFile } from "./schemas.ts";

export const folderType = "application/vnd.google-apps.folder";

/** A string literal in Drive's query language: quotes and backslashes escaped. */
export const quote = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** A folder by name (or id); an unknown name says so and lists close ones. */
export async function findFolder(
  google: GoogleClient,
  name: string,
  signal: AbortSignal,
): Promise<DriveFile> {
  const exact = await google.listFiles(
    `mimeType = ${quote(folderType)} and name = ${quote(name)} and trashed = false`,
    2,
    signal,
  );
  if (exact.items[0]) return exact.items[0];
  const near = await google.listFiles(
    `mimeType = ${quote(folderType)} and name contains ${quote(name)} and trashed = false`,
    10,
    signal,
  );
  // Said in another case ("homelab" for "Homelab"): `contains` ignores case, `=` does not.
  const same = near.items.filter((f) => f.name.toLowerCase() === name.toLowerCase());
  if (same.length === 1) return same[0]!;
  throw new JarvisError(
    "not_found",
    `Drive has no folder named "${name}"${near.items.length ? `; similar: ${near.items.map((f) => f.name).join(", ")}` : ""}`,
    { details: { folder: name } },
  );
}

/** A Drive file as people and models read it. */
export function viewFile(file: DriveFile, folder?: string) {
  return {
    id: file.id,
    name: file.name,
    type: file.mimeType === folderType ? "folder" : (file.mimeType ?? "unknown"),
    ...(file.size !== undefined ? { sizeBytes: Number(file.size) } : {}),
    ...(file.modifiedTime ? { modified: file.modifiedTime } : {}),
    ...(folder ? { folder } : {}),
    ...(file.webViewLink ? { link: file.webViewLink } : {}),
  };
}
