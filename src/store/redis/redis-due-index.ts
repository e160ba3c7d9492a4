import type { DueIndex, DueRun, TeamRef } from '../../app/ports.ts';
import { dueIndexKeys, SHARD_NUMBERS, shardOf, teamFromIndexMember, teamIndexMember } from '../keys.ts';
import { type RedisTeams, type Script, script } from './redis-team.ts';

/** KEYS: runs, revisions. ARGV: now (ms), offset, count. One page of the due runs, each as member, score, revision. */
const DUE_RUNS = `
local page = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', ARGV[2], ARGV[3])
local out = {}
for i = 1, #page, 2 do
  out[#out + 1] = page[i]
  out[#out + 1] = page[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], page[i]) or '0'
end
return out
`;

/** KEYS: runs, revisions. ARGV: member, the revision the caller read, the next time (ms) or '' for none. */
const RESCHEDULE = `
if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1
`;

/** KEYS: runs, revisions. ARGV: the time (ms), then members. Each is due by then at the latest, and its revision moves on. */
const MARK_DUE = `
local at = tonumber(ARGV[1])
for i = 2, #ARGV do
  local current = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if not current or tonumber(current) > at then redis.call('ZADD', KEYS[1], at, ARGV[i]) end
  redis.call('HINCRBY', KEYS[2], ARGV[i], 1)
end
return #ARGV - 1
`;

/** Due runs are read this many at a time, so no single reply (a start-up, when every run is due) is huge. */
const PAGE = 1_000;

/**
 * The due-time index on Redis: per shard (keys.ts), a sorted set of runs by their next due time and a hash of their
 * revisions, both in the shard's slot; a team's entries in its shard. Revisions are never deleted, not even when a run leaves the index: a counter that went
 * back to 0 could let an old tick's write through (a tick that read revision 1, a run that left and came back).
 */
export class RedisDueIndex implements DueIndex {
  private readonly dueRunsScript: Script;
  private readonly rescheduleScript: Script;
  private readonly markDueScript: Script;

  private readonly teams: RedisTeams;

  constructor(teams: RedisTeams) {
    this.teams = teams;
    this.dueRunsScript = script(teams.redis, 'sparringDueRuns', 2, DUE_RUNS);
    this.rescheduleScript = script(teams.redis, 'sparringReschedule', 2, RESCHEDULE);
    this.markDueScript = script(teams.redis, 'sparringMarkDue', 2, MARK_DUE);
  }

  private keys(member: string) {
    return dueIndexKeys(shardOf(member), this.teams.namespace);
  }

  /**
   * Page by page from the earliest. Another replica's tick moving runs out of the range between two pages can
   * shift a run past this one's offset: it is then read by the next tick, a minute later, never lost (its time
   * is still due). One page reads its times and revisions in one step; the shards are read side by side.
   */
  async dueRuns(nowMs: number): Promise<DueRun[]> {
    const found = new Map<string, DueRun>();
    await Promise.all(
      SHARD_NUMBERS.map(async (shard) => {
        const { runs, revisions } = dueIndexKeys(shard, this.teams.namespace);
        for (let offset = 0; ; offset += PAGE) {
          const page = (await this.dueRunsScript(runs, revisions, nowMs, offset, PAGE)) as string[];
          for (let i = 0; i < page.length; i += 3) {
            const member = page[i]!;
            found.set(member, { team: teamFromIndexMember(member), dueMs: Number(page[i + 1]), revision: Number(page[i + 2]) });
          }
          if (page.length < PAGE * 3) break;
        }
      }),
    );
    return [...found.values()].sort((a, b) => a.dueMs - b.dueMs);
  }

  async reschedule(team: TeamRef, revision: number, nextMs: number | undefined) {
    const member = teamIndexMember(team);
    const { runs, revisions } = this.keys(member);
    return (await this.rescheduleScript(runs, revisions, member, revision, nextMs === undefined ? '' : Math.floor(nextMs))) === 1;
  }

  async markDue(team: TeamRef, atMs = 0) {
    const member = teamIndexMember(team);
    const { runs, revisions } = this.keys(member);
    await this.markDueScript(runs, revisions, Math.floor(atMs), member);
  }

  async markAllDue() {
    const members = (await this.teams.list()).map(teamIndexMember);
    const byShard = new Map<number, string[]>();
    for (const member of members) {
      const inShard = byShard.get(shardOf(member));
      if (inShard) inShard.push(member);
      else byShard.set(shardOf(member), [member]);
    }
    for (const [shard, inShard] of byShard) {
      const { runs, revisions } = dueIndexKeys(shard, this.teams.namespace);
      for (let i = 0; i < inShard.length; i += PAGE) await this.markDueScript(runs, revisions, 0, ...inShard.slice(i, i + PAGE));
    }
    return members.length;
  }

  async dueAt(team: TeamRef) {
    const member = teamIndexMember(team);
    const score = await this.teams.redis.zscore(this.keys(member).runs, member);
    return score === null ? undefined : Number(score);
  }
}
