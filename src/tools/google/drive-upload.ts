import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { confine } from "../storage/confine.ts";
import { findFolder, viewFile } from "./drive-query.ts";
import { googleOf } from "./google-of.ts";

const types: Record<string, string> = {
  ".txt": "text/plain",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".json": "application/json",
  ".yaml": "application/yaml",
  ".yml": "application/yaml",
  ".csv": "text/csv",
  ".html": "text/html",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".tar": "application/x-tar",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

/** The largest file uploaded in one multipart request (Google's limit for that upload type is 5 MB). */
const maxBytes = 5 * 1024 * 1024;

/** The real path of a file inside the upload roots, or a refusal that names the setting. */
function allowedPath(path: string, roots: readonly string[]): string {
  if (!roots.length) {
    throw new JarvisError(
      "invalid_input",
      "No upload roots are configured: set GOOGLE_UPLOAD_ROOTS to the directories drive_upload may read from",
    );
  }
  try {
    return confine(path, roots, "file");
  } catch (error) {
    if (error instanceof JarvisError && /outside the allowed roots/.test(error.message)) {
      throw new JarvisError(
        "invalid_input",
        `${path} is outside the upload roots (${roots.join(", ")}); only files under GOOGLE_UPLOAD_ROOTS are uploaded`,
        { details: { field: "path" } },
      );
    }
    throw error;
  }
}

/** drive_upload: uploads one local file from an upload root (a write: asks by default). */
export const driveUpload = defineTool({
  name: "drive_upload",
  title: "Upload to Drive",
  description:
    "Uploads a local file (an absolute path on the Jarvis host, inside GOOGLE_UPLOAD_ROOTS, at most 5 MB) to Google Drive, into folder (a folder name) if given.",
  input: z.strictObject({
    path: z.string().min(1).max(4096),
    folder: z.string().trim().min(1).max(256).optional(),
    name: z.string().trim().min(1).max(256).optional(),
  }),
  risk: "write",
  openWorld: true,
  target: (input) => input.path,
  async run(input, ctx) {
    const google = googleOf(ctx);
    const real = allowedPath(input.path, google.uploadRoots);
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) {
      throw new JarvisError("not_found", `${input.path} is not a file`, { details: { field: "path" } });
    }
    if (info.size > maxBytes) {
      throw new JarvisError(
        "invalid_input",
        `${input.path} is ${info.size} bytes; drive_upload sends files up to ${maxBytes} bytes`,
      );
    }
    const folder = input.folder ? await findFolder(google, input.folder, ctx.signal) : undefined;
    const file = await google.uploadFile(
      {
        name: input.name ?? basename(real),
        parents: folder ? [folder.id] : undefined,
        mimeType: types[extname(real).toLowerCase()] ?? "application/octet-stream",
        body: createReadStream(real),
      },
      ctx.signal,
    );
    return { ...viewFile(file, folder?.name ?? "My Drive"), path: real, uploaded: true };
  },
});
