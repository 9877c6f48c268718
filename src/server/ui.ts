import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";

/** Where `npm run build:ui` puts the chat console. */
export const uiDistDir = fileURLToPath(new URL("../../ui/dist", import.meta.url));

/** No inline scripts or styles, nothing from elsewhere, no framing. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/**
 * Serves the built chat console: files from `ui/dist` with a strict CSP, and `index.html` for any
 * other extension-less path outside `/api` (the console routes by URL hash, so that is a fallback
 * for bookmarks only). Paths are resolved inside the folder; nothing else on disk is reachable.
 */
export function uiRoutes(distDir: string = uiDistDir) {
  const root = resolve(distDir);
  const headers = (type: string, immutable: boolean) => ({
    "content-type": type,
    "content-security-policy": contentSecurityPolicy,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
  });
  return new Hono().get("*", (c) => {
    const path = decodeURIComponent(c.req.path);
    if (path === "/api" || path.startsWith("/api/") || path.startsWith("/healthz")) return c.notFound();
    const index = join(root, "index.html");
    if (!existsSync(index)) {
      return c.text(
        "The chat console is not built. Run `npm run build:ui` (npm start builds it for you).\n",
        503,
      );
    }
    const file = resolve(root, `.${path}`);
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      const type = types[extname(file)] ?? "application/octet-stream";
      return c.body(readFileSync(file), 200, headers(type, path.startsWith("/assets/")));
    }
    if (extname(path)) return c.notFound();
    return c.body(readFileSync(index), 200, headers(types[".html"]!, false));
  });
}
