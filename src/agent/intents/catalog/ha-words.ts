/** Words for a cover's service: "open the garage door", "lower the blinds". */
export const coverServices: Record<string, string> = {
  open: "open_cover",
  close: "close_cover",
  shut: "close_cover",
  raise: "open_cover",
  lower: "close_cover",
};
