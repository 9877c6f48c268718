import { hostname } from "node:os";
import type { Logger } from "../log.ts";

/** How a process names itself in `JobView.worker`. */
export const workerName = () => `${hostname()}:${process.pid}`;

/** Where a job is: waiting to start, delayed (a retry's backoff, or a delay), running, or done. */
export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";
export const jobStates: readonly JobState[] = ["waiting", "delayed", "active", "completed", "failed"];

/** What the API and the console show of a job. Timestamps are ISO strings. */
export interface JobView {
  id: string;
  name: string;
  state: JobState;
  /** What the handler last reported: a percentage or a small object. */
  progress: number | Record<string, unknown>;
  /** Attempts started so far, and the most allowed. */
  attempts: number;
  maxAttempts: number;
  data: unknown;
  result?: unknown;
  /** The last attempt's error message, if it failed. */
  error?: string;
  /** The process that ran (or runs) its last attempt: `<host>:<pid>`. */
  worker?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** What a handler gets besides its data. */
export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first attempt. */
  attempt: number;
  log: Logger;
  progress(value: number | Record<string, unknown>): Promise<void>;
}

export type JobHandler<T = unknown> = (data: T, ctx: JobContext) => Promise<unknown>;

export interface Backoff {
  type: "fixed" | "exponential";
  /** Milliseconds: the fixed wait, or the first wait that doubles each retry. */
  delay: number;
}

export interface EnqueueOptions {
  /** A job with this id that exists already (waiting, running or kept after it ended) is not added again. */
  jobId?: string;
  /** Attempts in all (default 1: no retry). */
  attempts?: number;
  backoff?: Backoff;
  /** Milliseconds to wait before the first attempt. */
  delay?: number;
}

/** Fires `name` with `data` every `every` ms (the first right away), once across all processes. */
export interface ScheduleSpec {
  every: number;
  data?: unknown;
  attempts?: number;
}

/**
 * The job queue: in-process (the default, nothing to set up) or BullMQ on Redis (several
 * processes); both keep the same contract, which test/jobs-contract.int.test.ts checks on each.
 */
export interface Jobs {
  readonly kind: "in-process" | "redis";
  /** Registers the handler of a job name (before `start`). */
  define<T>(name: string, handler: JobHandler<T>): void;
  enqueue(name: string, data?: unknown, options?: EnqueueOptions): Promise<JobView>;
  get(id: string): Promise<JobView | undefined>;
  /** Newest first. */
  list(filter?: { state?: JobState; name?: string; limit?: number }): Promise<JobView[]>;
  /** Creates or replaces the schedule `id`. Only a started (worker) queue fires schedules. */
  schedule(id: string, name: string, spec: ScheduleSpec): Promise<void>;
  /** Removes the schedule `id` (a setting that turned it off); no-op if there is none. */
  unschedule(id: string): Promise<void>;
  /** Starts running jobs and firing schedules in this process (roles worker and all). */
  start(): Promise<void>;
  /** Resolves when no job is waiting or running (delayed ones, such as retries in backoff, aside). */
  idle(): Promise<void>;
  /** Stops taking jobs, waits for the running ones, closes connections. */
  close(): Promise<void>;
}
