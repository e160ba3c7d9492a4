import type { LocalMessage, LocalTranscriptStore, MemberStore, PersonalDataPart, SentMail, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** The playground's conversations (messages by conversation key and id) and its sent mails. */
export class EmbeddedLocalTranscript implements LocalTranscriptStore {
  constructor(
    private readonly data: EmbeddedData,
    /** Where a person's mail address is kept: their mails are found by it. */
    private readonly members: MemberStore,
  ) {}

  async saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    const data = this.data.team(team);
    ((data.localMessages ??= {})[conversation] ??= {})[message.id] = clone(message);
    this.data.persist();
  }

  async localMessages(team: TeamRef, conversation: string) {
    const messages = Object.values(this.data.peek(team)?.localMessages?.[conversation] ?? {});
    return clone(messages.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id, undefined, { numeric: true })));
  }

  async saveLocalMail(team: TeamRef, mail: SentMail) {
    (this.data.team(team).localMails ??= []).push(clone(mail));
    this.data.persist();
  }

  async localMails(team: TeamRef) {
    return clone(this.data.peek(team)?.localMails ?? []);
  }

  private async address(team: TeamRef, userId: string) {
    return (await this.members.members(team)).find((m) => m.userId === userId)?.email;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The messages to the person's own conversation (its key is their user id) and the mails to their address.
        name: 'localTranscript',
        export: async (team, userId) => {
          const address = await this.address(team, userId);
          return { messages: await this.localMessages(team, userId), mails: (await this.localMails(team)).filter((m) => address !== undefined && m.to === address) };
        },
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          if (!data) return 0;
          const address = await this.address(team, userId);
          const messages = Object.keys(data.localMessages?.[userId] ?? {}).length;
          if (data.localMessages) delete data.localMessages[userId];
          const mails = data.localMails?.length ?? 0;
          if (data.localMails && address !== undefined) data.localMails = data.localMails.filter((m) => m.to !== address);
          const removed = messages + mails - (data.localMails?.length ?? 0);
          if (removed > 0) this.data.persist();
          return removed;
        },
      },
    ];
  }
}
