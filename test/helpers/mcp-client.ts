import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import type { Jarvis } from "../../src/jarvis.ts";
import { createMcpServer } from "../../src/server/mcp/server.ts";
import type { Principal } from "../../src/tools/define-tool.ts";

/** What the person at an elicitation-capable client answers, and the questions they were asked. */
export interface Person {
  answer: (request: ElicitRequest["params"]) => ElicitResult;
  asked: ElicitRequest["params"][];
}

/** A real SDK client; with `person` it declares elicitation and answers through them. */
export function createClient(person?: Person): Client {
  const client = new Client(
    { name: "jarvis-test-client", version: "1.0.0" },
    { capabilities: person ? { elicitation: { form: {} } } : {} },
  );
  if (person) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      person.asked.push(request.params);
      return person.answer(request.params);
    });
  }
  return client;
}

/** Connects a real SDK client to a real Jarvis MCP server through the SDK's in-memory linked pair. */
export async function connectInProcess(
  jarvis: Jarvis,
  principal: Principal,
  person?: Person,
): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer({ jarvis, principal }).connect(serverSide);
  const client = createClient(person);
  await client.connect(clientSide);
  return client;
}

/** The structured result of a tool call (the tests check its shape). */
// biome-ignore lint/suspicious/noExplicitAny: the assertions check the shape
export const structured = (result: unknown): any =>
  (result as { structuredContent?: unknown }).structuredContent;
/** The text of a tool call's first content block. */
export const textOf = (result: unknown): string =>
  ((result as { content?: Array<{ text?: string }> }).content ?? [])[0]?.text ?? "";
