import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

const host = name(64).optional().describe("the Sunshine host; default the only one");

/** Stand-ins for the Sunshine (game streaming host) toolset. */
export const sunshineTools = [
  standIn({
    name: "sunshine_status",
    title: "Sunshine status",
    description:
      "Shows whether a Sunshine game-streaming host is up, its version, and what app is streaming to whom.",
    input: z.strictObject({ host }),
    risk: "read",
    target: (input) => input.host,
  }),
  standIn({
    name: "sunshine_list_apps",
    title: "Sunshine apps",
    description: "Lists the apps a Sunshine host offers to Moonlight clients.",
    input: z.strictObject({ host }),
    risk: "read",
  }),
  standIn({
    name: "sunshine_list_clients",
    title: "Sunshine clients",
    description: "Lists the Moonlight clients paired with a Sunshine host.",
    input: z.strictObject({ host }),
    risk: "read",
  }),
  standIn({
    name: "sunshine_pair_client",
    title: "Pair Moonlight client",
    description:
      "Pairs a Moonlight client with a Sunshine host using the 4-digit PIN the client shows, under name.",
    input: z.strictObject({ pin: z.string().regex(/^\d{4}$/, "the 4-digit PIN"), name: name(128), host }),
    risk: "write",
    target: (input) => input.name,
  }),
  standIn({
    name: "sunshine_close_app",
    title: "Close streamed app",
    description: "Closes the app a Sunshine host is currently streaming, ending the session.",
    input: z.strictObject({ host }),
    risk: "write",
    target: (input) => input.host,
  }),
  standIn({
    name: "sunshine_unpair_client",
    title: "Unpair Moonlight client",
    description: "Removes a paired Moonlight client; it must pair again with a new PIN to stream.",
    input: z.strictObject({ client: name(128), host }),
    risk: "destructive",
    target: (input) => input.client,
  }),
];
