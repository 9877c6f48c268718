/** The Home Assistant toolset has landed: evals use its real definitions, answered by a world. */
export { homeAssistantTools } from "../../src/tools/homeassistant/index.ts";
