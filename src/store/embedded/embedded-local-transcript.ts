import type { LocalMessage, LocalTranscriptStore, MemberStore, PersonalDataPart, SentMail, TeamRef } from '../../app/ports.ts';
import { addressOf, transcriptOf } from '../person-exports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** The playground's conversations (messages by conversation key and id) and its sent mails. */
export class EmbeddedLocalTranscript implements LocalTranscriptStore {
  private readonly data: EmbeddedData;
  /** Where a person's mail address is kept: their mails are found by it. */
  private readonly members: MemberStore;
  constructor(data: EmbeddedData, members: MemberStore) {
    this.data = data;
    this.members = members;
  }

  async saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    this.data.change({ set: this.data.path(team, 'localMessages', conversation, message.id), value: clone(message) });
  }

  async localMessages(team: TeamRef, conversation: string) {
    const messages = Object.values(this.data.peek(team)?.localMessages?.[conversation] ?? {});
    return clone(messages.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id, undefined, { numeric: true })));
  }

  async saveLocalMail(team: TeamRef, mail: SentMail) {
    this.data.change({ push: this.data.path(team, 'localMails'), value: clone(mail) });
  }

  async localMails(team: TeamRef) {
    return clone(this.data.peek(team)?.localMails ?? []);
  }

  /** Retention: every conversation's messages whose latest version is older than `cutoff`, and older mails. */
  async deleteLocalBefore(team: TeamRef, cutoff: Date) {
    const data = this.data.peek(team);
    if (!data) return 0;
    const old = (at: string) => Date.parse(at) < cutoff.getTime();
    let removed = 0;
    for (const [conversation, messages] of Object.entries(data.localMessages ?? {})) {
      for (const [id, message] of Object.entries(messages)) {
        if (!old(message.updatedAt ?? message.at)) continue;
        delete messages[id];
        removed++;
      }
      if (Object.keys(messages).length === 0) delete data.localMessages![conversation];
    }
    const mails = data.localMails?.length ?? 0;
    if (data.localMails) data.localMails = data.localMails.filter((m) => !old(m.at));
    removed += mails - (data.localMails?.length ?? 0);
    // Written whole: what retention deletes leaves the disk at once.
    if (removed > 0) this.data.persist();
    return removed;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The messages to the person's own conversation (its key is their user id) and the mails to their address.
        name: 'localTranscript',
        export: (team, userId) => transcriptOf(this, this.members, team, userId),
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          if (!data) return 0;
          const address = await addressOf(this.members, team, userId);
          const messages = Object.keys(data.localMessages?.[userId] ?? {}).length;
          if (data.localMessages) delete data.localMessages[userId];
          const mails = data.localMails?.length ?? 0;
          if (data.localMails && address !== undefined) data.localMails = data.localMails.filter((m) => m.to !== address);
          const removed = messages + mails - (data.localMails?.length ?? 0);
          // Written whole: what an erasure removes leaves the disk at once.
          if (removed > 0) this.data.persist();
          return removed;
        },
      },
    ];
  }
}
