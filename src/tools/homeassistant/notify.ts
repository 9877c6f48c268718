import { defineTool } from "../define-tool.ts";
import { haClient } from "./resolve.ts";
import { NotifyInput } from "./schemas.ts";

/** ha_notify: a notification through a Home Assistant notify service (the owner's phone by default). */
export const notify = defineTool({
  name: "ha_notify",
  title: "Send notification",
  description:
    "Sends a notification through Home Assistant (to the owner's phone by default; target names a notify service such as mobile_app_pixel).",
  input: NotifyInput,
  risk: "write",
  idempotent: false,
  target: (input, ctx) => input.target ?? ctx.clients.homeassistant?.notifyTarget ?? "notify",
  async run(input, ctx) {
    const client = await haClient(ctx);
    const target = input.target ?? client.notifyTarget;
    await client.callService(
      "notify",
      target,
      { message: input.message, ...(input.title ? { title: input.title } : {}) },
      undefined,
    );
    return { sent: true, target };
  },
});
