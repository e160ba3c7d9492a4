import type { ConversationStore, LocalTranscriptStore, MemberStore, TeamRef } from '../app/ports.ts';

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
