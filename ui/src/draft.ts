/** The unsent message, kept in sessionStorage so a sign-in or reload does not lose it. */
const key = "jarvis:draft";

export const loadDraft = (): string => sessionStorage.getItem(key) ?? "";
export const saveDraft = (text: string): void => {
  if (text) sessionStorage.setItem(key, text);
  else sessionStorage.removeItem(key);
};
