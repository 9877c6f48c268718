import { inspect } from "node:util";

/**
 * A secret value (token, password). It prints as `***` everywhere: string conversion, JSON,
 * `console.log` and `util.inspect`. Only `reveal()` gives the value, so every use is explicit.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return "***";
  }

  toJSON(): string {
    return "***";
  }

  [inspect.custom](): string {
    return "Secret(***)";
  }
}
