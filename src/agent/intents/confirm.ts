import { normalize } from "./text.ts";

const yes =
  /^(yes|yeah|yep|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|go for it|approve|approved|please do|yes please|yes do it|affirmative|proceed)( please| now| it)?$/;
const no =
  /^(no|nope|nah|cancel|stop|dont|do not|deny|denied|abort|never mind|nevermind|no cancel|no dont|no thanks|forget it)( it| that| please)?$/;

const yesWord =
  /^(yes|yeah|yep|yup|sure|ok|okay|confirm|confirmed|go ahead|do it|please do|affirmative|absolutely|definitely)\b/;
const noWord = /^(no|nope|nah|cancel|dont|do not|stop|abort|never mind|nevermind|wait)\b/;

/**
 * "yes", "do it", "confirm" → approve; "no", "cancel" → deny; anything else is a new message.
 * A reply may say more after a comma ("yes, unlock it", "no, leave it running") or after
 * "go ahead and …", but "yes restart radarr too" is a new request.
 */
export function confirmation(text: string): "approve" | "deny" | undefined {
  const [first = "", ...rest] = text.split(/[,.!;]/);
  const head = normalize(first).replace(/^(uh|um|well|actually|oh|hmm|ok so) /, "");
  const t = normalize(text).replace(/^(uh|um|well|actually|oh|hmm) /, "");
  if (yes.test(t) || (rest.length && yes.test(head))) return "approve";
  if (no.test(t) || (rest.length && no.test(head)) || /^no[, ]+(cancel|dont|stop|wait)/.test(t))
    return "deny";
  if (/^go ahead and \w+/.test(t) || (rest.length && yesWord.test(head) && !noWord.test(head)))
    return "approve";
  if (rest.length && noWord.test(head)) return "deny";
  return undefined;
}
