import type { Inventory } from "./inventory.ts";

/** A tool call the engine plans. */
export interface PlannedCall {
  tool: string;
  args: Record<string, unknown>;
}

/** What became of a call, read back from the conversation. */
export interface Outcome {
  tool: string;
  args: Record<string, unknown>;
  output?: unknown;
  error?: string;
  denied?: string;
}

export type SlotType =
  | "container"
  | "host"
  | "stack"
  | "entity"
  | "area"
  | "library"
  | "job"
  | "database"
  | "sunshineApp"
  | "sunshineHost"
  | "sunshineClient"
  | "share"
  | "nas"
  | "domain"
  | "template"
  | "app"
  | "number"
  | "hours"
  | "since"
  | "day"
  | "when"
  | "span"
  | "text"
  | "path"
  | "pin"
  | "recipient"
  | "snapshot"
  | "id"
  | "identifier"
  | "word";

export interface SlotSpec {
  type: SlotType;
  /** For entities: the Home Assistant domains this intent acts on. */
  domains?: readonly string[];
  /** For words: the accepted values (aliases map to canonical values). */
  values?: Record<string, string>;
}

export interface IntentContext {
  inventory: Inventory;
  now: Date;
  /** Arguments of earlier tool calls in the conversation, newest first ("restart it"). */
  recent?: ReadonlyArray<Record<string, unknown>>;
}

export type Slots = Record<string, unknown>;

/**
 * One thing people ask for: sentence templates, the slots they capture, the calls to make, and how
 * to answer from the results. `next` may ask for more calls after seeing results (two-step questions).
 */
export interface Intent {
  name: string;
  templates: readonly string[];
  slots?: Record<string, SlotType | SlotSpec>;
  plan(slots: Slots, ctx: IntentContext): PlannedCall[];
  next?(slots: Slots, outcomes: Outcome[], ctx: IntentContext): PlannedCall[] | undefined;
  answer(slots: Slots, outcomes: Outcome[], ctx: IntentContext): string;
}

/** Identity, for type inference. */
export const intent = (definition: Intent): Intent => definition;
