// A person's own figure for their hours, as they type it. Pure.

/** The most one occurrence can have taken: a day. */
export const MAX_HOURS = 24;

/**
 * Hours as typed: "1,5" (Danish and Swedish write a decimal comma) or "1.5", 0 to 24, to the hundredth.
 * Undefined for anything else (a word, a negative number, "1,5,0", more than a day).
 */
export function parseHours(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s+/g, '');
  if (!/^\d{1,2}([.,]\d{1,2})?$/.test(trimmed)) return undefined;
  const hours = Number(trimmed.replace(',', '.'));
  return hours >= 0 && hours <= MAX_HOURS ? hours : undefined;
}
