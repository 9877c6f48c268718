import { fileURLToPath } from "node:url";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * The chat console's build. `@ai-sdk/svelte` pins its own copy of `ai`; deduping bundles the one
 * the server uses, once. No inline scripts (the server's CSP forbids them).
 */
export default defineConfig({
  root,
  base: "/",
  plugins: [svelte()],
  resolve: { dedupe: ["ai"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
  },
});
