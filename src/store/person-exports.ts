import type { ConversationStore, LocalTranscriptStore, MemberStore, PersonExport, SlackInstallationRecord, SlackInstallationStore, TeamRef } from '../app/ports.ts';

/**
 * What export returns for a person, read through a port's own methods: the same for Redis and the
 * embedded file, so only erasing is written per implementation.
 */

/** Where the bot reaches the person: their own conversation, whose key is their user id. */
export async function conversationsOf(store: ConversationStore, team: TeamRef, userId: string) {
  const ref = await store.getConversation(team, userId);
  return ref ? [ref] : [];
}

/** The person's address, from their member entry: the playground's mails are found by it. */
export async function addressOf(members: MemberStore, team: TeamRef, userId: string) {
  return (await members.members(team)).find((m) => m.userId === userId)?.email;
}

/** The playground's messages to the person's own conversation and the mails to their address. */
export async function transcriptOf(store: LocalTranscriptStore, members: MemberStore, team: TeamRef, userId: string) {
  const address = await addressOf(members, team, userId);
  return { messages: await store.localMessages(team, userId), mails: (await store.localMails(team)).filter((m) => address !== undefined && m.to === address) };
}

/**
 * The Slack installation of the team's workspace (`team.tenant`), if the person made it: who and when
 * only. The installation itself is left out: it holds the workspace's bot token.
 */
export async function slackInstallationsOf(store: SlackInstallationStore, team: TeamRef, userId: string): Promise<PersonExport['slackInstallations']> {
  const record = await store.getSlackInstallation(team.tenant);
  if (!record || record.installedBy !== userId) return [];
  return [{ key: record.key, installedBy: record.installedBy, installedAt: record.installedAt }];
}

/** What is left of Bolt's `installation.user` once the installer is erased: Bolt's type needs an id. */
export const ERASED_INSTALLER = { id: 'erased' } as const;

/**
 * The installation without its installer: no `installedBy`, and Bolt's `installation.user` (the
 * installer's Slack id, their user token and its scopes) becomes `ERASED_INSTALLER`. The bot token
 * stays, so the workspace keeps working.
 */
export function withoutInstaller(record: SlackInstallationRecord): SlackInstallationRecord {
  const { installedBy: _installer, ...rest } = record;
  const installation = structuredClone(record.installation);
  if ('user' in installation) installation['user'] = { ...ERASED_INSTALLER };
  return { ...rest, installation };
}
