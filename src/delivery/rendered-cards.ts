import { contentKey } from '../app/effects.ts';
import type { OutboundMessage, WorkItem } from '../app/ports.ts';
import { CardDataError, renderCard } from '../cards/render.ts';
import { isCardName } from '../cards/view-models.ts';
import type { Platform } from '../domain/replies/reply.ts';

/**
 * Every recipient of an occurrence gets the same card, so it is rendered once per occurrence and
 * platform, not once per send (a questionnaire takes milliseconds to render: the cost of a send). The
 * data's fingerprint is part of the key: the same key can carry other data (a card made for each
 * person, a team set up again), and a card must never show what was rendered for someone else.
 */
const renderedCards = new Map<string, OutboundMessage>();
const RENDER_CACHE_SIZE = 200;

export function rendered(item: WorkItem, platform: Platform): OutboundMessage {
  if (!item.card) throw new CardDataError('error', ['a mail item has no card']);
  const key = JSON.stringify([item.team, item.occurrenceId, item.card.name, item.card.locale, item.card.timeZone, platform === 'slack', contentKey(item.card)]);
  const cached = renderedCards.get(key);
  if (cached) return cached;
  if (!isCardName(item.card.name)) throw new CardDataError('error', [`unknown card ${item.card.name}`]);
  const card = renderCard(item.card.name, item.card.data, platform === 'slack' ? 'slack' : 'teams', {
    locale: item.card.locale,
    timeZone: item.card.timeZone,
    ...(item.card.template ? { template: item.card.template } : {}),
  });
  const text = 'fallbackText' in card ? card['fallbackText'] : card.text;
  const message = { card: card as unknown as Record<string, unknown>, text: typeof text === 'string' ? text : '' };
  if (renderedCards.size >= RENDER_CACHE_SIZE) renderedCards.delete(renderedCards.keys().next().value!);
  renderedCards.set(key, message);
  return message;
}
