import { dockerIntents } from "./catalog/docker.ts";
import { gmailReadIntents } from "./catalog/gmail-read.ts";
import { googleIntents } from "./catalog/google.ts";
import { haQuestionIntents } from "./catalog/ha-questions.ts";
import { haIntents } from "./catalog/homeassistant.ts";
import { plexIntents, sunshineIntents } from "./catalog/media.ts";
import { deployIntents, memoryIntents, systemIntents } from "./catalog/misc.ts";
import { backupIntents, nasIntents } from "./catalog/nas-backups.ts";
import { networkIntents } from "./catalog/network.ts";
import { storageIntents } from "./catalog/storage.ts";
import { createRecognizer } from "./engine.ts";
import type { Intent } from "./intent.ts";

/** Every intent the local engine knows: an explicit list, one catalog file per system. */
export const allIntents: readonly Intent[] = [
  ...dockerIntents,
  ...storageIntents,
  ...nasIntents,
  ...backupIntents,
  ...plexIntents,
  ...sunshineIntents,
  ...gmailReadIntents,
  ...googleIntents,
  ...haIntents,
  ...memoryIntents,
  ...networkIntents,
  ...deployIntents,
  ...systemIntents,
  ...haQuestionIntents,
];

export const createIntentRecognizer = () => createRecognizer(allIntents);
