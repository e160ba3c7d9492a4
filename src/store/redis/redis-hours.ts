import type { HoursEntry, HoursStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { decode, encode } from '../values.ts';
import type { RedisTeams } from './redis-team.ts';

/** The hours ledger: one list per team, appended to. */
export class RedisHours implements HoursStore {
  constructor(private readonly teams: RedisTeams) {}

  async addHours(team: TeamRef, entry: HoursEntry) {
    await this.teams.remember(team);
    await this.teams.redis.rpush(this.teams.keys(team).hours, encode(entry));
  }

  async hours(team: TeamRef) {
    return (await this.teams.redis.lrange(this.teams.keys(team).hours, 0, -1)).map((t) => decode<HoursEntry>(t));
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'hours',
        export: async (team, userId) => (await this.hours(team)).filter((h) => h.userId === userId),
        erase: async (team, userId) => {
          const key = this.teams.keys(team).hours;
          const theirs = new Set((await this.teams.redis.lrange(key, 0, -1)).filter((t) => decode<HoursEntry>(t).userId === userId));
          // LREM by value, not a rewrite of the list: an entry added meanwhile by someone else stays.
          const removed = await Promise.all([...theirs].map((text) => this.teams.redis.lrem(key, 0, text)));
          return removed.reduce((sum, n) => sum + n, 0);
        },
      },
    ];
  }
}
