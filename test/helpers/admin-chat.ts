import type { Jarvis } from "../../src/jarvis.ts";
import { createApp } from "../../src/server/app.ts";
import { createChatClient } from "./chat-client.ts";

/** A chat client for an admin, over the real HTTP app of `jarvis` called in-process. */
export async function adminChat(jarvis: Jarvis): Promise<ReturnType<typeof createChatClient>> {
  const app = createApp(jarvis);
  const token = (await jarvis.tokens.create({ name: "admin", role: "admin" })).token;
  return createChatClient((input, init) => Promise.resolve(app.request(String(input), init)), token);
}
