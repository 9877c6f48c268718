import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

const when = () => z.string().min(1).max(64).describe("ISO date or date-time, e.g. 2025-06-02T09:00");

/** Stand-ins for the Google toolset: Calendar, Gmail, Drive. */
export const googleTools = [
  standIn({
    name: "calendar_list_events",
    title: "List calendar events",
    description:
      "Lists Google Calendar events between from and to (default: from now until the end of tomorrow), optionally matching query, with title, start, end, location and attendees.",
    input: z.strictObject({ from: when().optional(), to: when().optional(), query: name().optional() }),
    risk: "read",
  }),
  standIn({
    name: "gmail_search",
    title: "Search Gmail",
    description:
      "Searches Gmail with Gmail's query syntax (from:, subject:, is:unread, newer_than:2d…) and returns up to max (default 10) messages: id, from, subject, date, snippet.",
    input: z.strictObject({ query: z.string().max(512), max: z.number().int().min(1).max(50).optional() }),
    risk: "read",
  }),
  standIn({
    name: "gmail_read",
    title: "Read email",
    description: "Reads one Gmail message by id (from gmail_search): headers and plain-text body.",
    input: z.strictObject({ id: name(128) }),
    risk: "read",
  }),
  standIn({
    name: "drive_list",
    title: "List Drive files",
    description:
      "Lists Google Drive files matching query (by name) or inside folder, with size, type and modification time.",
    input: z.strictObject({ query: name().optional(), folder: name().optional() }),
    risk: "read",
  }),
  standIn({
    name: "calendar_create_event",
    title: "Create calendar event",
    description:
      "Creates a Google Calendar event. start is an ISO date-time; give end or duration (minutes or '1h30m'), default one hour.",
    input: z.strictObject({
      title: name(),
      start: when(),
      end: when().optional(),
      duration: z.union([z.number().int().positive(), z.string().min(1).max(16)]).optional(),
    }),
    risk: "write",
    target: (input) => input.title,
  }),
  standIn({
    name: "gmail_send",
    title: "Send email",
    description: "Sends a plain-text email from the owner's Gmail account.",
    input: z.strictObject({ to: name(512), subject: z.string().max(512), body: z.string().max(20_000) }),
    risk: "write",
    target: (input) => input.to,
  }),
  standIn({
    name: "drive_upload",
    title: "Upload to Drive",
    description: "Uploads a local file (path on the Jarvis host) to Google Drive, into folder if given.",
    input: z.strictObject({ path: name(4096), folder: name().optional() }),
    risk: "write",
    target: (input) => input.path,
  }),
];
