/**
 * Teams takes a bot message of about 100 KB, counted in UTF-16, and recommends staying under
 * 80 KB ("Format your bot messages", Microsoft Learn). A card over that budget has its longest
 * texts shortened with a visible "…" until it fits, so a post never fails for its size.
 */
export const TEAMS_MESSAGE_BUDGET = 80_000;
export const ELLIPSIS = '…';

export function utf16Bytes(value: unknown): number {
  return JSON.stringify(value).length * 2;
}

/** Shortens `text` to at most `max` characters, ending in "…" when anything was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)).trimEnd() + ELLIPSIS;
}

type Node = Record<string, unknown>;
const TEXT_KEYS = ['text', 'value', 'label'] as const;

function textSlots(node: unknown, slots: Array<{ node: Node; key: string }> = []) {
  if (Array.isArray(node)) for (const item of node) textSlots(item, slots);
  else if (node && typeof node === 'object') {
    const object = node as Node;
    for (const key of TEXT_KEYS) if (typeof object[key] === 'string') slots.push({ node: object, key });
    for (const [key, value] of Object.entries(object)) if (key !== 'data') textSlots(value, slots);
  }
  return slots;
}

export function fitAdaptiveCard<T extends object>(card: T, budget = TEAMS_MESSAGE_BUDGET): T {
  if (utf16Bytes(card) <= budget) return card;
  const fitted = structuredClone(card);
  const slots = textSlots(fitted);
  while (utf16Bytes(fitted) > budget) {
    const longest = slots.reduce((a, b) => ((b.node[b.key] as string).length > (a.node[a.key] as string).length ? b : a));
    const text = longest.node[longest.key] as string;
    if (text.length <= 40) break; // nothing long is left to shorten; the card's structure itself is too big
    longest.node[longest.key] = truncate(text, Math.floor(text.length / 2));
  }
  return fitted;
}
