import type { LocalMessage, LocalTranscriptStore, MemberStore, PersonalDataPart, SentMail, TeamRef } from '../../app/ports.ts';
import { addressOf, transcriptOf } from '../person-exports.ts';
import { decode, encode } from '../values.ts';
import type { RedisTeams } from './redis-team.ts';

/** The playground's conversations (a hash of messages per conversation) and its sent mails (a list). */
export class RedisLocalTranscript implements LocalTranscriptStore {
  constructor(
    private readonly teams: RedisTeams,
    /** Where a person's mail address is kept: their mails are found by it. */
    private readonly members: MemberStore,
  ) {}

  async saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage) {
    await this.teams.remember(team);
    await this.teams.redis.hset(this.teams.keys(team).localMessages(conversation), message.id, encode(message));
  }

  async localMessages(team: TeamRef, conversation: string) {
    const messages = Object.values(await this.teams.redis.hgetall(this.teams.keys(team).localMessages(conversation))).map((t) => decode<LocalMessage>(t));
    return messages.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id, undefined, { numeric: true }));
  }

  async saveLocalMail(team: TeamRef, mail: SentMail) {
    await this.teams.remember(team);
    await this.teams.redis.rpush(this.teams.keys(team).localMails, encode(mail));
  }

  async localMails(team: TeamRef) {
    return (await this.teams.redis.lrange(this.teams.keys(team).localMails, 0, -1)).map((t) => decode<SentMail>(t));
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        // The messages to the person's own conversation (its key is their user id) and the mails to their address.
        name: 'localTranscript',
        export: (team, userId) => transcriptOf(this, this.members, team, userId),
        erase: async (team, userId) => {
          const k = this.teams.keys(team);
          const address = await addressOf(this.members, team, userId);
          const counted = await this.teams.redis.multi().hlen(k.localMessages(userId)).del(k.localMessages(userId)).exec();
          const count = counted?.[0]?.[1] ?? 0;
          const mails = address === undefined ? [] : (await this.teams.redis.lrange(k.localMails, 0, -1)).filter((t) => decode<SentMail>(t).to === address);
          const removed = await Promise.all([...new Set(mails)].map((text) => this.teams.redis.lrem(k.localMails, 0, text)));
          return Number(count) + removed.reduce((sum, n) => sum + n, 0);
        },
      },
    ];
  }
}
