// Teams' payloads as the app's inputs, and the app's cards as Teams' answers: pure functions, no I/O.
import { createHash } from 'node:crypto';
import { type Activity, type AdaptiveCardInvokeResponse, teamsGetTeamInfo, teamsGetTenant, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { CardSubmit } from '../../app/actions/handle-card-action.ts';
import type { TenantOnly } from '../../app/inbound.ts';
import type { TeamRef } from '../../app/ports.ts';

/**
 * The ids the reply's URL and headers carry (the conversation's, the activity's), as Teams writes them:
 * printable ASCII. Any other character fails the reply after the turn has run (a 500), so the request is
 * refused before it.
 */
const routingId = z.string().regex(/^[\x20-\x7e]*$/, 'printable ASCII');

/** What every activity the route accepts must carry; the rest is botbuilder's and the handlers' to read. */
export const activityShape = z.looseObject({
  type: z.string().min(1),
  id: routingId.optional(),
  channelId: z.string().min(1),
  // Where the replies go: a URL, or the reply fails after the turn has run.
  serviceUrl: z.url({ protocol: /^https?$/ }),
  from: z.looseObject({ id: z.string().min(1) }),
  conversation: z.looseObject({ id: routingId.min(1) }),
  recipient: z.looseObject({ id: z.string() }),
});

/**
 * The team whose run an activity is about, as lifecycle.ts stores it: `{ tenant, team: channelData.team.id }`
 * in a team's channel; a group chat is a team of its own, named by its conversation id; in a personal chat
 * Teams names no team, so only the tenant (the app finds the person's run there).
 */
export function teamOf(activity: Activity): TeamRef | TenantOnly {
  const tenant = activity.conversation.tenantId ?? teamsGetTenant(activity)?.id ?? '';
  const team = teamsGetTeamInfo(activity)?.id;
  if (team) return { tenant, team };
  const { conversationType, isGroup, id } = activity.conversation;
  if (conversationType === 'personal' || !isGroup) return { tenant };
  // A thread's conversation id carries ";messageid=…": the chat is what comes before.
  return { tenant, team: id.split(';')[0]! };
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/**
 * A message's text as a `/sparring` command: the bot's mention taken out (`<at>Sparringsbot</at> agenda`
 * in a channel), Teams' HTML reduced to text, and a leading `sparring` or `/sparring` dropped. Undefined
 * for a message without text (an old-style card submit).
 */
export function commandText(activity: Activity): string | undefined {
  if (typeof activity.text !== 'string') return undefined;
  const withoutMention = TurnContext.removeRecipientMention({ ...activity }) ?? activity.text;
  return withoutMention
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ENTITIES[name] ?? ' ')
    .trim()
    .replace(/^\/?sparring\b/i, '')
    .trim();
}

const invokeValue = z.looseObject({
  action: z.looseObject({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(100),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
});

/**
 * Keys of `action.data` that are the card's own, not input ids: `card` and `ref` on every card of a
 * programme (cards/README.md); the set-up card names the team it sets up instead (team-setup.json).
 */
const CARD_DATA_KEYS = new Set(['card', 'ref']);
// A Map, not an object: the card's name is the sender's, and `__proto__` would find the object's prototype.
const CARD_DATA_KEYS_OF = new Map([['team-setup', new Set(['card', 'team', 'channelId', 'installedBy'])]]);
/** Teams' own key in the data of some clients' submits. */
const TEAMS_KEYS = new Set(['msteams']);

/**
 * An `adaptiveCard/action` invoke's value as a card submit. Teams merges the inputs' values into the
 * action's `data`: the card's own keys are its data, every other key is an input id. Undefined when the
 * value is not an Action.Execute.
 */
export function cardSubmitOf(value: unknown): (CardSubmit & { data: Record<string, unknown> }) | undefined {
  const parsed = invokeValue.safeParse(value);
  if (!parsed.success) return undefined;
  const { verb, data: merged } = parsed.data.action;
  const own = (typeof merged['card'] === 'string' && CARD_DATA_KEYS_OF.get(merged['card'])) || CARD_DATA_KEYS;
  const data: Record<string, unknown> = {};
  const inputs: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(merged)) {
    if (own.has(key)) data[key] = entry;
    else if (!TEAMS_KEYS.has(key)) inputs[key] = entry;
  }
  return { verb, data, inputs };
}

/** The invoke's answer that replaces the clicked card with `card` where it is. */
export function cardInvokeResponse(card: Record<string, unknown>): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/**
 * What makes an activity the same one resent: its id within its conversation. Hashed, so the mark kept
 * for a few minutes names no chat (a personal chat's id is the person's): it sits beside anonymous
 * answers in time. None without an id.
 */
export function seenKeyOf(activity: Activity): string | undefined {
  return activity.id ? `teams:${createHash('sha256').update(`${activity.conversation.id}\n${activity.id}`).digest('hex').slice(0, 32)}` : undefined;
}
