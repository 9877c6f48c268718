import { z } from "zod";

/**
 * Zod schemas for the Google API responses Jarvis reads. Only the fields used are checked and
 * objects are not strict: Google adds fields without notice.
 * - Calendar v3 Events: https://developers.google.com/workspace/calendar/api/v3/reference/events
 * - Gmail v1 users.messages: https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages
 * - Drive v3 files: https://developers.google.com/workspace/drive/api/reference/rest/v3/files
 * - OAuth 2.0 token endpoint: https://developers.google.com/identity/protocols/oauth2/native-app
 */

/** `start` / `end` of an event: a dateTime (timed) or a date (all-day). */
export const EventTime = z.object({
  dateTime: z.string().optional(),
  date: z.string().optional(),
  timeZone: z.string().optional(),
});

/** One Calendar event resource. */
export const CalendarEvent = z.object({
  id: z.string(),
  status: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  htmlLink: z.string().optional(),
  start: EventTime,
  end: EventTime.optional(),
  attendees: z.array(z.object({ email: z.string().optional() })).optional(),
});
export type CalendarEvent = z.infer<typeof CalendarEvent>;

/** `GET calendars/{calendarId}/events`: one page. */
export const CalendarEventList = z.object({
  items: z.array(CalendarEvent).default([]),
  nextPageToken: z.string().optional(),
});

/** `GET users/me/messages`: one page of ids (no headers: those need a `get` each). */
export const GmailMessageList = z.object({
  messages: z.array(z.object({ id: z.string(), threadId: z.string().optional() })).default([]),
  nextPageToken: z.string().optional(),
  resultSizeEstimate: z.number().optional(),
});

export const GmailHeader = z.object({ name: z.string(), value: z.string() });

/** A MIME part of a message (recursive: multipart messages nest parts). */
export interface GmailPart {
  mimeType?: string;
  filename?: string;
  headers?: Array<z.infer<typeof GmailHeader>>;
  body?: { size?: number; data?: string };
  parts?: GmailPart[];
}
export const GmailPart: z.ZodType<GmailPart> = z.lazy(() =>
  z.object({
    mimeType: z.string().optional(),
    filename: z.string().optional(),
    headers: z.array(GmailHeader).optional(),
    body: z.object({ size: z.number().optional(), data: z.string().optional() }).optional(),
    parts: z.array(GmailPart).optional(),
  }),
);

/** `GET users/me/messages/{id}` (format metadata or full). */
export const GmailMessage = z.object({
  id: z.string(),
  threadId: z.string().optional(),
  labelIds: z.array(z.string()).optional(),
  snippet: z.string().default(""),
  internalDate: z.string().optional(),
  payload: GmailPart,
});
export type GmailMessage = z.infer<typeof GmailMessage>;

/** `POST users/me/messages/send`: the sent message. */
export const GmailSent = z.object({ id: z.string(), threadId: z.string().optional() });

/** `GET users/me/profile`. */
export const GmailProfile = z.object({ emailAddress: z.string() });

/** One Drive file resource (with the fields Jarvis asks for). */
export const DriveFile = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string().optional(),
  /** int64 as a decimal string; absent for folders and Google Docs. */
  size: z.string().optional(),
  modifiedTime: z.string().optional(),
  parents: z.array(z.string()).optional(),
  webViewLink: z.string().optional(),
});
export type DriveFile = z.infer<typeof DriveFile>;

/** `GET files`: one page. */
export const DriveFileList = z.object({
  files: z.array(DriveFile).default([]),
  nextPageToken: z.string().optional(),
});
