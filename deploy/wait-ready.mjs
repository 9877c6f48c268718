#!/usr/bin/env node
// Waits until the Jarvis process on this machine is ready: GET /readyz answers 200 (database
// reachable, migrations applied, Redis reachable), or /healthz for a process that serves no
// /readyz. Exits 0 when ready, 1 after the timeout. systemd runs it as ExecStartPost, so
// `systemctl start jarvis@api` returns once the API can serve. Plain JavaScript, any Node >= 18.
//   node deploy/wait-ready.mjs [base URL]     (default http://127.0.0.1:$PORT, PORT default 8750)
//   JARVIS_READY_TIMEOUT_SECONDS (120)
const base = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT || 8750}`;
const timeoutMs = Number(process.env.JARVIS_READY_TIMEOUT_SECONDS || 120) * 1000;
const until = Date.now() + timeoutMs;
let path = "/readyz";
let last = "no answer yet";
while (Date.now() < until) {
  try {
    const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(5000) });
    if (response.ok) {
      console.log(`jarvis at ${base} is ready (${path})`);
      process.exit(0);
    }
    if (response.status === 404 && path === "/readyz") path = "/healthz";
    last = `${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`;
  } catch (error) {
    last = error instanceof Error ? error.message : String(error);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
console.error(`jarvis at ${base} not ready after ${timeoutMs / 1000} s: ${last}`);
process.exit(1);
