import type { ConversationRef, ConversationStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { conversationsOf } from '../person-exports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** Where to reach a person or channel, by conversation key (a person's is their user id). */
export class EmbeddedConversations implements ConversationStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async saveConversation(team: TeamRef, ref: ConversationRef) {
    this.data.change({ set: this.data.path(team, 'conversations', ref.key), value: clone(ref) });
  }

  async getConversation(team: TeamRef, key: string) {
    return clone(this.data.peek(team)?.conversations[key]);
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'conversations',
        export: (team, userId) => conversationsOf(this, team, userId),
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          if (!data?.conversations[userId]) return 0;
          delete data.conversations[userId];
          // Written whole: what an erasure removes leaves the disk at once.
          this.data.persist();
          return 1;
        },
      },
    ];
  }
}
