import type { InboundReply } from '../../app/inbound.ts';
import { renderSlackCard } from '../../cards/render.ts';
import { blocksOf } from './slack-channel.ts';

/** The reply as Slack's message: blocks and text (the modals stay with the buttons that open them). */
export function slackMessage(reply: InboundReply): { text: string; blocks: unknown[] } {
  const card = renderSlackCard(reply.card, reply.data, { locale: reply.locale, timeZone: reply.timeZone });
  return blocksOf({ card: card as unknown as Record<string, unknown>, text: card.text });
}
