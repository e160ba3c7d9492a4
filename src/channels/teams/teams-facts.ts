// The Teams facts lifecycle.ts translates: which team or chat an activity is about, the roster, who owns a
// team, where a person or channel is reached (the stored ConversationReferences), and posting a card now.
import { type Activity, CardFactory, type ChannelAccount, type ConversationParameters, type TeamsChannelAccount, TeamsInfo, type TurnContext } from 'botbuilder';
import type { AppDeps } from '../../app/context.ts';
import type { ConversationRef, Member, TeamRef } from '../../app/ports.ts';

/**
 * Our user id for a Teams account: its Teams user id (`29:…`), the `from.id` of everything the person
 * does and the id in `membersAdded`/`membersRemoved`, which name no Entra object id. `Run.members[].userId`,
 * the personal conversation key and the receiver's `platformUserId` are all this.
 */
export function teamsUserId(account: Pick<ChannelAccount, 'id'>): string {
  return account.id;
}

/** Teams answers at most 500 members a page. */
const PAGE_SIZE = 500;

export type Scope = { kind: 'personal'; tenant: string; conversationId: string } | { kind: 'team' | 'groupChat'; tenant: string; team: TeamRef; teamName?: string; channelId: string };

/** The team (a Teams team, or a group chat as a team of its own) or personal chat an activity is about. */
export function scopeOf(activity: Activity): Scope | undefined {
  const data = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string; name?: string } };
  const tenant = activity.conversation?.tenantId ?? data.tenant?.id;
  // A channel post's conversation id may carry ";messageid=…" (its thread): the channel is what comes before.
  const conversationId = activity.conversation?.id?.split(';')[0];
  if (!tenant || !conversationId) return undefined;
  if (data.team?.id) return { kind: 'team', tenant, team: { tenant, team: data.team.id }, ...(data.team.name ? { teamName: data.team.name } : {}), channelId: conversationId };
  if (activity.conversation.conversationType === 'personal' || activity.conversation.isGroup === false) return { kind: 'personal', tenant, conversationId };
  return { kind: 'groupChat', tenant, team: { tenant, team: conversationId }, channelId: conversationId };
}

/** Teams names a team's owners in the member's `userRole`; a group chat has none. A failed look-up is no owner. */
export async function isTeamOwner(context: TurnContext, deps: { app: AppDeps }, team: TeamRef, teamsId: string): Promise<boolean> {
  try {
    return (await TeamsInfo.getTeamMember(context, team.team, teamsId)).userRole?.toLowerCase() === 'owner';
  } catch (error) {
    deps.app.logger.warn({ tenant: team.tenant, team: team.team, error: errorText(error) }, 'Teams could not say whether the person owns the team');
    return false;
  }
}

/** Every page of the roster; `complete` only when every page came. */
export async function readRoster(context: TurnContext, deps: { app: AppDeps }, scope: Extract<Scope, { team: TeamRef }>): Promise<{ accounts: TeamsChannelAccount[]; complete: boolean }> {
  const accounts: TeamsChannelAccount[] = [];
  // In its own turn a group chat reads its members; from anywhere else (a submit in a 1:1), by its id.
  const inOwnChat = scope.kind === 'groupChat' && context.activity.conversation?.id === scope.team.team;
  let token: string | undefined;
  try {
    do {
      const page = inOwnChat ? await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token) : await TeamsInfo.getPagedTeamMembers(context, scope.team.team, PAGE_SIZE, token);
      accounts.push(...(page.members ?? []).filter((a) => !isBot(a) && a.id !== context.activity.recipient?.id));
      token = page.continuationToken || undefined;
    } while (token);
    return { accounts, complete: true };
  } catch (error) {
    deps.app.logger.warn({ tenant: scope.tenant, team: scope.team.team, read: accounts.length, error: errorText(error) }, 'Teams roster not read in full');
    return { accounts, complete: false };
  }
}

export const isBot = (account: ChannelAccount) => account.id.startsWith('28:') || account.role === 'bot';

export function memberOf(account: TeamsChannelAccount): Member {
  const name = account.name || [account.givenName, account.surname].filter(Boolean).join(' ');
  return { userId: teamsUserId(account), roles: ['staff'], ...(name ? { name } : {}), ...(account.email ? { email: account.email } : {}) };
}

/** Where the team's posts go: the channel (or group chat) as a conversation of its own, not a reply in a thread. */
export function channelReference(activity: Activity, scope: Extract<Scope, { team: TeamRef }>): ConversationRef {
  return {
    platform: 'teams',
    key: `channel:${scope.channelId}`,
    reference: {
      channelId: activity.channelId,
      serviceUrl: activity.serviceUrl,
      bot: { id: activity.recipient.id, name: activity.recipient.name },
      conversation: { id: scope.channelId, conversationType: scope.kind === 'team' ? 'channel' : 'groupChat', isGroup: true, tenantId: scope.tenant },
    },
  };
}

/**
 * How to reach a person in a 1:1: a ConversationReference with the bot, the user and the tenant, and the
 * conversation's id once there is one. Without an id, the sender creates the 1:1 first
 * (createConversationAsync with `conversationParametersOf`): Teams returns the same chat every time.
 */
export function personalReference(activity: Activity, account: TeamsChannelAccount, tenant: string, conversationId?: string): ConversationRef {
  return {
    platform: 'teams',
    key: teamsUserId(account),
    reference: {
      channelId: activity.channelId,
      serviceUrl: activity.serviceUrl,
      bot: { id: activity.recipient.id, name: activity.recipient.name },
      user: { id: account.id, ...(account.name ? { name: account.name } : {}), ...(account.aadObjectId ? { aadObjectId: account.aadObjectId } : {}) },
      conversation: { ...(conversationId ? { id: conversationId } : {}), conversationType: 'personal', isGroup: false, tenantId: tenant },
    },
  };
}

/** The parameters Teams needs to open (or find) the 1:1 of a stored personal reference. */
export function conversationParametersOf(reference: Record<string, unknown>): ConversationParameters {
  const bot = reference['bot'] as ChannelAccount;
  const user = reference['user'] as ChannelAccount;
  const tenantId = (reference['conversation'] as { tenantId?: string } | undefined)?.tenantId;
  return { isGroup: false, bot: { id: bot.id, name: bot.name }, members: [{ id: user.id, name: user.name }], tenantId, channelData: { tenant: { id: tenantId } } };
}

const hasConversation = (ref: ConversationRef | undefined) => Boolean((ref?.reference['conversation'] as { id?: string } | undefined)?.id);

/** A roster's reference never replaces one that has the person's 1:1 already. */
export async function savePersonalReference(app: AppDeps, team: TeamRef, ref: ConversationRef): Promise<void> {
  if (!hasConversation(ref) && hasConversation(await app.store.getConversation(team, ref.key))) return;
  await app.store.saveConversation(team, ref);
}

/** What this turn's Bot Connector client offers us (botbuilder's ConnectorClient, whose type it does not export). */
interface Connector {
  conversations: {
    createConversation(parameters: ConversationParameters): Promise<{ id?: string }>;
    sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  };
}

function connectorOf(context: TurnContext): Connector {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as Connector | undefined;
  if (!connector) throw new Error('botbuilder gave this turn no Bot Connector client');
  return connector;
}

/** The installer's 1:1 (stored as their reference), or undefined when Teams will not open one. */
export async function openPersonalChat(context: TurnContext, deps: { app: AppDeps }, scope: Extract<Scope, { team: TeamRef }>, person: ChannelAccount): Promise<string | undefined> {
  const reference = personalReference(context.activity, person, scope.tenant);
  try {
    const { id } = await connectorOf(context).conversations.createConversation(conversationParametersOf(reference.reference));
    if (!id) throw new Error('Teams answered without a conversation id');
    await deps.app.store.saveConversation(scope.team, personalReference(context.activity, person, scope.tenant, id));
    return id;
  } catch (error) {
    deps.app.logger.warn({ tenant: scope.tenant, team: scope.team.team, error: errorText(error) }, 'no 1:1 with the installer; the set-up card goes to the channel');
    return undefined;
  }
}

/**
 * Posts a card as a new message in a conversation of this turn's tenant; false (logged) when Teams
 * refuses. An answer to an install event, so it goes out now rather than through the outbox.
 */
export async function post(context: TurnContext, deps: { app: AppDeps }, conversationId: string, card: Record<string, unknown>): Promise<boolean> {
  const activity = context.activity;
  const message: Partial<Activity> = {
    type: 'message',
    summary: typeof card['fallbackText'] === 'string' ? card['fallbackText'] : '',
    attachments: [CardFactory.adaptiveCard(card)],
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    from: activity.recipient,
    conversation: { id: conversationId, tenantId: activity.conversation?.tenantId } as Activity['conversation'],
  };
  try {
    await connectorOf(context).conversations.sendToConversation(conversationId, message);
    return true;
  } catch (error) {
    deps.app.logger.error({ tenant: activity.conversation?.tenantId, error: errorText(error) }, 'Teams refused a set-up message');
    return false;
  }
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
