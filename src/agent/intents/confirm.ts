import { normalize } from "./text.ts";

const yes =
  /^(yes|yeah|yep|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|go for it|approve|approved|please do|yes please|yes do it|affirmative|proceed)( please| now| it)?$/;
const no =
  /^(no|nope|nah|cancel|stop|dont|do not|deny|denied|abort|never mind|nevermind|no cancel|no dont|no thanks|forget it)( it| that| please)?$/;

/** "yes", "do it", "confirm" → approve; "no", "cancel" → deny; anything else is a new message. */
export function confirmation(text: string): "approve" | "deny" | undefined {
  const t = normalize(text).replace(/^(uh|um|well) /, "");
  if (yes.test(t)) return "approve";
  if (no.test(t) || /^no[, ]+(cancel|dont|stop)/.test(t)) return "deny";
  return undefined;
}
