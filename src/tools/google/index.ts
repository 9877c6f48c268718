import type { Tool } from "../define-tool.ts";
import { createEvent } from "./create-event.ts";
import { driveList } from "./drive-list.ts";
import { driveUpload } from "./drive-upload.ts";
import { gmailRead } from "./gmail-read.ts";
import { gmailSearch } from "./gmail-search.ts";
import { gmailSend } from "./gmail-send.ts";
import { listEvents } from "./list-events.ts";

/** The Google toolset (Calendar, Gmail, Drive), in catalog order: reads, then writes. */
export const googleTools: Tool[] = [
  listEvents,
  gmailSearch,
  gmailRead,
  driveList,
  createEvent,
  gmailSend,
  driveUpload,
];
