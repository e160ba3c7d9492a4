import type { PersonalDataPart, ReminderMute, ReminderStore, Snooze, TeamRef } from '../../app/ports.ts';
import { decode, encode } from '../values.ts';
import { type RedisTeams, type Script, script } from './redis-team.ts';

/** KEYS: the snoozes. ARGV: now (ms). Deletes and returns the due members with their scores, in one step. */
const TAKE_DUE_SNOOZES = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES')
for i = 1, #due, 2 do redis.call('ZREM', KEYS[1], due[i]) end
return due
`;

const member = (occurrenceId: string, userId: string) => `${encodeURIComponent(occurrenceId)}|${encodeURIComponent(userId)}`;
function snoozeOf(text: string, score: string | number): Snooze {
  const [occurrenceId = '', userId = ''] = text.split('|');
  return { userId: decodeURIComponent(userId), occurrenceId: decodeURIComponent(occurrenceId), until: new Date(Number(score)).toISOString() };
}

/** Mutes in a hash by user id; snoozes in a sorted set by when they come again, so the due ones are one range. */
export class RedisReminders implements ReminderStore {
  private readonly teams: RedisTeams;
  private readonly takeDue: Script;
  constructor(teams: RedisTeams) {
    this.teams = teams;
    this.takeDue = script(teams.redis, 'sparringTakeDueSnoozes', 1, TAKE_DUE_SNOOZES);
  }

  async muteReminders(team: TeamRef, mute: ReminderMute) {
    await this.teams.remember(team);
    await this.teams.redis.hset(this.teams.keys(team).reminderMutes, mute.userId, encode(mute));
  }

  async unmuteReminders(team: TeamRef, userId: string) {
    return (await this.teams.redis.hdel(this.teams.keys(team).reminderMutes, userId)) === 1;
  }

  async reminderMutes(team: TeamRef) {
    return Object.values(await this.teams.redis.hgetall(this.teams.keys(team).reminderMutes)).map((t) => decode<ReminderMute>(t));
  }

  async snoozeReminder(team: TeamRef, snooze: Snooze) {
    await this.teams.remember(team);
    await this.teams.redis.zadd(this.teams.keys(team).snoozes, Date.parse(snooze.until), member(snooze.occurrenceId, snooze.userId));
  }

  async takeDueSnoozes(team: TeamRef, nowMs: number) {
    const due = (await this.takeDue(this.teams.keys(team).snoozes, nowMs)) as string[];
    const snoozes: Snooze[] = [];
    for (let i = 0; i < due.length; i += 2) snoozes.push(snoozeOf(due[i]!, due[i + 1]!));
    return snoozes;
  }

  async dropSnooze(team: TeamRef, userId: string, occurrenceId: string) {
    return (await this.teams.redis.zrem(this.teams.keys(team).snoozes, member(occurrenceId, userId))) === 1;
  }

  async snoozes(team: TeamRef): Promise<Snooze[]> {
    const all = await this.teams.redis.zrange(this.teams.keys(team).snoozes, '0', '-1', 'WITHSCORES');
    const snoozes: Snooze[] = [];
    for (let i = 0; i < all.length; i += 2) snoozes.push(snoozeOf(all[i]!, all[i + 1]!));
    return snoozes;
  }

  async deleteReminderRecordsBefore(team: TeamRef, cutoff: Date, current?: { programmeId: string; start: string }) {
    const keys = this.teams.keys(team);
    let deleted = await this.teams.redis.zremrangebyscore(keys.snoozes, '-inf', `(${cutoff.getTime()}`);
    const old = (await this.reminderMutes(team)).filter((m) => m.programmeId !== current?.programmeId || m.start !== current.start);
    if (old.length > 0) deleted += await this.teams.redis.hdel(keys.reminderMutes, ...old.map((m) => m.userId));
    return deleted;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'reminders',
        export: async (team, userId) => ({
          muted: (await this.reminderMutes(team)).find((m) => m.userId === userId) ?? null,
          snoozes: (await this.snoozes(team)).filter((s) => s.userId === userId),
        }),
        erase: async (team, userId) => {
          const theirs = (await this.snoozes(team)).filter((s) => s.userId === userId);
          const snoozes = theirs.length > 0 ? await this.teams.redis.zrem(this.teams.keys(team).snoozes, ...theirs.map((s) => member(s.occurrenceId, s.userId))) : 0;
          return snoozes + ((await this.unmuteReminders(team, userId)) ? 1 : 0);
        },
      },
    ];
  }
}
