// A Slack channel's people as the app's members, and where each is reached: `conversations.members`
// (every page), names from `users.info`, bots left out. The conversation references are what delivery
// sends with: the person (a DM opened on the first send) and the channel, each naming its workspace so
// the right installation's token is used.
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../app/context.ts';
import type { ConversationRef, Member, TeamRef } from '../../app/ports.ts';

/** A person in a workspace: delivery opens their DM on the first send and keeps it here. */
export function personRef(workspace: Workspace, userId: string): ConversationRef {
  return { platform: 'slack', key: userId, reference: { user: userId, ...workspaceFields(workspace) } };
}

/** A run's channel. */
export function channelRef(workspace: Workspace, channelId: string): ConversationRef {
  return { platform: 'slack', key: `channel:${channelId}`, reference: { channel: channelId, ...workspaceFields(workspace) } };
}

/** Which installation a request came through: the workspace, and its Enterprise Grid org when the app is installed org-wide. */
export interface Workspace {
  team: string;
  enterprise?: string;
}

const workspaceFields = (w: Workspace) => ({ team: w.team, ...(w.enterprise ? { enterprise: w.enterprise } : {}) });

/** How long the names may take: a modal must open within 3 s of the slash command (Slack's trigger_id). */
const NAMES_WITHIN_MS = 1500;
const NAME_LOOKUPS_AT_ONCE = 10;

interface SlackUser {
  id: string;
  name?: string;
  bot: boolean;
}

async function userOf(client: WebClient, userId: string): Promise<SlackUser | undefined> {
  try {
    const { user } = await client.users.info({ user: userId });
    if (!user) return undefined;
    const name = user.profile?.display_name || user.real_name || user.name;
    return { id: userId, ...(name ? { name } : {}), bot: Boolean(user.is_bot) || userId === 'USLACKBOT' };
  } catch {
    return undefined;
  }
}

/**
 * Names of the people, as many as Slack gives within the time a modal allows; a person whose name did not
 * come is listed by their id until the next read. Returns the users found (bots marked).
 */
async function lookUp(client: WebClient, userIds: string[]): Promise<Map<string, SlackUser>> {
  const found = new Map<string, SlackUser>();
  const queue = [...userIds];
  let stopped = false;
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) {
      const user = await userOf(client, id);
      if (user) found.set(id, user);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  // A platform deadline, not app time: Slack's own 3 s for the trigger.
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, NAMES_WITHIN_MS);
  });
  await Promise.race([Promise.all(Array.from({ length: NAME_LOOKUPS_AT_ONCE }, worker)), deadline]);
  stopped = true;
  clearTimeout(timer);
  return found;
}

/** Every member id of the channel, page by page. */
async function channelMembers(client: WebClient, channel: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.members({ channel, limit: 1000, ...(cursor ? { cursor } : {}) });
    ids.push(...(page.members ?? []));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return ids;
}

/**
 * The channel's people, read from Slack: each is reachable (their reference saved) and a member of the
 * team (rosterSeen: new ones as staff, known ones keep their roles, people gone are removed). The bot and
 * other apps are not people.
 */
export async function readChannelRoster(
  deps: Pick<AppDeps, 'store'>,
  client: WebClient,
  scope: { workspace: Workspace; team: TeamRef; botUserId?: string },
): Promise<Array<Member & { name?: string }>> {
  const ids = (await channelMembers(client, scope.team.team)).filter((id) => id !== scope.botUserId);
  const stored = new Map((await deps.store.members(scope.team)).map((m) => [m.userId, m]));
  const users = await lookUp(
    client,
    ids.filter((id) => !stored.get(id)?.name),
  );
  const people = ids.filter((id) => !users.get(id)?.bot);
  for (const id of people) await deps.store.saveConversation(scope.team, personRef(scope.workspace, id));
  await deps.store.saveConversation(scope.team, channelRef(scope.workspace, scope.team.team));
  return people.map((id) => {
    const name = users.get(id)?.name ?? stored.get(id)?.name;
    return { userId: id, roles: [], ...(name ? { name } : {}) };
  });
}

/** One person who joined: their name (when Slack gives it) and whether they are a bot. */
export async function personJoining(client: WebClient, userId: string): Promise<{ name?: string; bot: boolean }> {
  const user = await userOf(client, userId);
  return { ...(user?.name ? { name: user.name } : {}), bot: user?.bot ?? false };
}
