import type { ConversationRef, ConversationStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { conversationsOf } from '../person-exports.ts';
import { decode, encode } from '../values.ts';
import type { RedisTeams } from './redis-team.ts';

/** Where to reach a person or channel: one hash per team, by conversation key (a person's is their user id). */
export class RedisConversations implements ConversationStore {
  private readonly teams: RedisTeams;
  constructor(teams: RedisTeams) {
    this.teams = teams;
  }

  async saveConversation(team: TeamRef, ref: ConversationRef) {
    await this.teams.remember(team);
    await this.teams.redis.hset(this.teams.keys(team).conversations, ref.key, encode(ref));
  }

  async getConversation(team: TeamRef, key: string) {
    const text = await this.teams.redis.hget(this.teams.keys(team).conversations, key);
    return text ? decode<ConversationRef>(text) : undefined;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'conversations',
        export: (team, userId) => conversationsOf(this, team, userId),
        erase: (team, userId) => this.teams.redis.hdel(this.teams.keys(team).conversations, userId),
      },
    ];
  }
}
