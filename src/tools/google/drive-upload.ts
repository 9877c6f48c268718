import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Readable } from "node:stream";
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

/** drive_upload: uploads one local file from an upload root, or text Jarvis wrote (a write: asks by default). */
export const driveUpload = defineTool({
  name: "drive_upload",
  title: "Upload to Drive",
  description:
    "Uploads to Google Drive, into folder (a folder name) if given: a local file (path: absolute, on the Jarvis host, inside GOOGLE_UPLOAD_ROOTS, at most 5 MB), or text you wrote (content, with name, e.g. a report).",
  input: z
    .strictObject({
      path: z.string().min(1).max(4096).optional(),
      content: z.string().max(1_000_000).optional(),
      name: z.string().trim().min(1).max(256).optional(),
      folder: z.string().trim().min(1).max(256).optional(),
    })
    .refine((i) => (i.path === undefined) !== (i.content === undefined), "give either path or content")
    .refine((i) => i.content === undefined || i.name, "content needs a name (the file name in Drive)"),
  risk: "write",
  openWorld: true,
  target: (input) => input.path ?? input.name,
  async run(input, ctx) {
    const google = googleOf(ctx);
    let upload: { name: string; mimeType: string; body: Readable; path?: string };
    if (input.path !== undefined) {
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
      const name = input.name ?? basename(real);
      upload = { name, mimeType: typeOf(name), body: createReadStream(real), path: real };
    } else {
      const name = input.name!;
      upload = { name, mimeType: typeOf(name, "text/plain"), body: Readable.from([input.content!]) };
    }
    const folder = input.folder ? await findFolder(google, input.folder, ctx.signal) : undefined;
    const file = await google.uploadFile(
      {
        name: upload.name,
        parents: folder ? [folder.id] : undefined,
        mimeType: upload.mimeType,
        body: upload.body,
      },
      ctx.signal,
    );
    return {
      ...viewFile(file, folder?.name ?? "My Drive"),
      ...(upload.path ? { path: upload.path } : {}),
      uploaded: true,
    };
  },
});

const typeOf = (name: string, fallback = "application/octet-stream") =>
  types[extname(name).toLowerCase()] ?? fallback;
