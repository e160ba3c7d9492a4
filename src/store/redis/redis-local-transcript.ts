import type { LocalMessage, LocalTranscriptStore, MemberStore, PersonalDataPart, SentMail, TeamRef } from '../../app/ports.ts';
import { addressOf, transcriptOf } from '../person-exports.ts';
import { decode, encode } from '../values.ts';
import { type RedisTeams, script } from './redis-team.ts';

/** KEYS: a conversation's messages. ARGV: pairs of message id and the value read. Deletes each message still unchanged (one replaced meanwhile stays); returns how many. */
const DELETE_UNCHANGED = `
local deleted = 0
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i + 1] then deleted = deleted + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return deleted
`;

/** The playground's conversations (a hash of messages per conversation) and its sent mails (a list). */
export class RedisLocalTranscript implements LocalTranscriptStore {
  private readonly teams: RedisTeams;
  /** Where a person's mail address is kept: their mails are found by it. */
  private readonly members: MemberStore;
  constructor(teams: RedisTeams, members: MemberStore) {
    this.teams = teams;
    this.members = members;
  }

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

  /**
   * Retention: the messages whose latest version is older than `cutoff`, in every member's own conversation
   * and in `conversations` (the team channel's: Redis keeps no index of conversations), and older mails.
   * A message replaced meanwhile, or a mail added, stays.
   */
  async deleteLocalBefore(team: TeamRef, cutoff: Date, conversations: string[] = []) {
    const { redis } = this.teams;
    const k = this.teams.keys(team);
    const old = (at: string) => Date.parse(at) < cutoff.getTime();
    const deleteUnchanged = script(redis, 'sparringDeleteUnchanged', 1, DELETE_UNCHANGED);
    const keys = new Set([...(await this.members.members(team)).map((m) => m.userId), ...conversations]);
    let removed = 0;
    for (const conversation of keys) {
      const stored = Object.entries(await redis.hgetall(k.localMessages(conversation)));
      const expired = stored.filter(([, text]) => {
        const message = decode<LocalMessage>(text);
        return old(message.updatedAt ?? message.at);
      });
      if (expired.length > 0) removed += Number(await deleteUnchanged(k.localMessages(conversation), ...expired.flat()));
    }
    const mails = (await redis.lrange(k.localMails, 0, -1)).filter((text) => old(decode<SentMail>(text).at));
    const counts = await Promise.all([...new Set(mails)].map((text) => redis.lrem(k.localMails, 0, text)));
    return removed + counts.reduce((sum, n) => sum + n, 0);
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
