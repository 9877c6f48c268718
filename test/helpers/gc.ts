import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** A full garbage collection now, so a test can show that something survives one. */
export function collectGarbage(): void {
  gc();
  gc();
}
