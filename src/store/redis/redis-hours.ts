import type { HoursEntry, HoursStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { decode, encode } from '../values.ts';
import { type RedisTeams, script, type Script } from './redis-team.ts';

/** A booking's field in the team's hours hash: one per person and occurrence. */
const fieldOf = (userId: string, occurrenceId: string) => JSON.stringify([userId, occurrenceId]);
const userOf = (field: string) => (JSON.parse(field) as [string, string])[0];
/** What retention dates a booking by: its correction, else its booking. */
const lastChanged = (entry: HoursEntry) => Date.parse(entry.correctedAt ?? entry.at);

// The correction in one step, so it never recreates a booking erased meanwhile and keeps the planned
// hours of the first correction whatever follows.
const CORRECT = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local entry = cjson.decode(old)
if entry.planned == nil then entry.planned = entry.hours end
entry.hours = tonumber(ARGV[2])
entry.correctedAt = ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
return 1`;

/** The hours ledger: one hash per team, a field per person and occurrence. */
export class RedisHours implements HoursStore {
  private readonly teams: RedisTeams;
  private readonly correct: Script;

  constructor(teams: RedisTeams) {
    this.teams = teams;
    this.correct = script(teams.redis, 'sbCorrectHours', 1, CORRECT);
  }

  async addHours(team: TeamRef, entry: HoursEntry) {
    await this.teams.remember(team);
    return (await this.teams.redis.hsetnx(this.teams.keys(team).hours, fieldOf(entry.userId, entry.occurrenceId), encode(entry))) === 1;
  }

  async correctHours(team: TeamRef, correction: { userId: string; occurrenceId: string; hours: number; at: string }) {
    const done = await this.correct(this.teams.keys(team).hours, fieldOf(correction.userId, correction.occurrenceId), String(correction.hours), correction.at);
    return done === 1;
  }

  async hours(team: TeamRef) {
    const entries = Object.values(await this.teams.redis.hgetall(this.teams.keys(team).hours)).map((t) => decode<HoursEntry>(t));
    return entries.sort((a, b) => a.at.localeCompare(b.at) || a.occurrenceId.localeCompare(b.occurrenceId) || a.userId.localeCompare(b.userId));
  }

  async deleteHoursBefore(team: TeamRef, cutoff: Date) {
    const key = this.teams.keys(team).hours;
    const old = Object.entries(await this.teams.redis.hgetall(key)).filter(([, text]) => lastChanged(decode<HoursEntry>(text)) < cutoff.getTime());
    return old.length === 0 ? 0 : this.teams.redis.hdel(key, ...old.map(([field]) => field));
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'hours',
        // With a correction: the hours, the planned hours beside them and when the person corrected them.
        export: async (team, userId) => (await this.hours(team)).filter((h) => h.userId === userId),
        erase: async (team, userId) => {
          const key = this.teams.keys(team).hours;
          const theirs = (await this.teams.redis.hkeys(key)).filter((field) => userOf(field) === userId);
          return theirs.length === 0 ? 0 : this.teams.redis.hdel(key, ...theirs);
        },
      },
    ];
  }
}
