import type { InboundReply } from '../../app/inbound.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { SlackModal } from '../../cards/slack/from-adaptive.ts';
import { blocksOf } from './slack-channel.ts';

/** The form a reply's card opens, when it has exactly one (a questionnaire's, a reflection's): what "Svar nu" opens at once. */
export function onlyForm(reply: InboundReply): { verb: string; modal: SlackModal } | undefined {
  const modals = Object.entries(renderSlackCard(reply.card, reply.data, { locale: reply.locale, timeZone: reply.timeZone }).modals);
  const [only] = modals;
  return modals.length === 1 && only ? { verb: only[0], modal: only[1] } : undefined;
}

/** The reply as Slack's message: blocks and text (the modals stay with the buttons that open them). */
export function slackMessage(reply: InboundReply): { text: string; blocks: unknown[] } {
  const card = renderSlackCard(reply.card, reply.data, { locale: reply.locale, timeZone: reply.timeZone });
  return blocksOf({ card: card as unknown as Record<string, unknown>, text: card.text });
}
