import type { Member, MemberStore, PersonalDataPart, Run, TeamRef } from '../../app/ports.ts';
import { decode, decodeVersioned, encode } from '../values.ts';
import { script, type RedisTeams, type Script } from './redis-team.ts';
import { MIGRATE_RUN, REMOVE_MEMBER, SAVE_MEMBERS } from './scripts.ts';

/** A member as stored in the members hash, under the user id: what the field already says is left out. */
type MemberValue = Omit<Member, 'userId'>;
export type RunFields = Omit<Run, 'members'>;

/** A schema-1 run can only be met so many times in a row if something keeps rewriting it in the old shape. */
const MIGRATION_ATTEMPTS = 5;

const pairs = (members: Member[]) => members.flatMap(({ userId, ...value }) => [userId, encode(value)]);

/**
 * A team's members on Redis: one hash field per member (and their place in an order set), so two
 * installs adding different members at once both keep theirs. Runs written by schema 1 carry their
 * members inside the run value; they are read as they are and moved out before any member write.
 */
export class RedisMembers implements MemberStore {
  private readonly teams: RedisTeams;
  private readonly saveScript: Script;
  private readonly migrateScript: Script;
  private readonly removeScript: Script;

  constructor(teams: RedisTeams) {
    this.teams = teams;
    this.saveScript = script(teams.redis, 'sparringSaveMembers', 3, SAVE_MEMBERS);
    this.migrateScript = script(teams.redis, 'sparringMigrateRun', 3, MIGRATE_RUN);
    this.removeScript = script(teams.redis, 'sparringRemoveMember', 3, REMOVE_MEMBER);
  }

  async saveMember(team: TeamRef, member: Member) {
    await this.write(team, '', [member]);
  }

  async removeMember(team: TeamRef, userId: string) {
    const k = this.teams.keys(team);
    const removed = await this.untilMigrated(team, () => this.removeScript(k.run, k.members, k.memberOrder, userId));
    return removed === 1;
  }

  async members(team: TeamRef) {
    return (await this.read(team)).members;
  }

  /** Stores the run's own fields (`runValue`, or '' for none) and upserts `members`, in one step. */
  async write(team: TeamRef, runValue: string, members: Member[]) {
    await this.teams.remember(team);
    const k = this.teams.keys(team);
    await this.untilMigrated(team, () => this.saveScript(k.run, k.members, k.memberOrder, runValue, ...pairs(members)));
  }

  /** The run's own fields (if there is a run) and its members, read at one moment. */
  async read(team: TeamRef): Promise<{ fields?: RunFields; members: Member[] }> {
    const k = this.teams.keys(team);
    const [run, stored, order] = await this.teams.redis.multi().get(k.run).hgetall(k.members).zrange(k.memberOrder, '0', '-1').exec().then(results);
    const entries = orderedEntries(stored, order);
    if (run === null) return { members: entries };
    const { v, value } = decodeVersioned<RunFields & { members?: Member[] }>(run);
    const { members: inside = [], ...fields } = value;
    if (v !== 1) return { fields, members: entries };
    // Read as the migration will leave it (HSETNX after the entries there): a read never shows what a write then changes.
    const written = new Set(entries.map((m) => m.userId));
    return { fields, members: [...entries, ...inside.filter((m) => !written.has(m.userId))] };
  }

  /** Runs `step` until it no longer meets a schema-1 run, moving that run's members out in between. */
  private async untilMigrated(team: TeamRef, step: () => Promise<unknown>) {
    for (let attempt = 0; attempt < MIGRATION_ATTEMPTS; attempt++) {
      const outcome = await step();
      if (outcome !== 'legacy') return outcome;
      await this.migrate(team);
    }
    throw new Error(`the run of ${team.tenant}/${team.team} is rewritten in the schema-1 shape faster than it can be migrated`);
  }

  private async migrate(team: TeamRef) {
    const k = this.teams.keys(team);
    const text = await this.teams.redis.get(k.run);
    if (text === null) return;
    const { v, value } = decodeVersioned<Run>(text);
    if (v !== 1) return;
    const { members, ...fields } = value;
    // A value changed since it was read is left alone: the caller's next step reads it again.
    await this.migrateScript(k.run, k.members, k.memberOrder, text, encode(fields), ...pairs(members));
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'member',
        export: async (team, userId) => (await this.members(team)).find((m) => m.userId === userId) ?? null,
        erase: async (team, userId) => ((await this.removeMember(team, userId)) ? 1 : 0),
      },
    ];
  }
}

type MultiResult = Array<[Error | null, unknown]> | null;

function results(replies: MultiResult): [string | null, Record<string, string>, string[]] {
  if (!replies) throw new Error('a read of the run and its members was aborted');
  for (const [error] of replies) if (error) throw error;
  const [run, stored, order] = replies.map(([, value]) => value);
  return [run as string | null, stored as Record<string, string>, order as string[]];
}

/** Members in the order they were first added; an entry without a place (none should be) goes last. */
function orderedEntries(stored: Record<string, string>, order: string[]): Member[] {
  const place = new Map(order.map((userId, i) => [userId, i]));
  return Object.entries(stored)
    .map(([userId, text]) => ({ userId, ...decode<MemberValue>(text) }))
    .sort((a, b) => (place.get(a.userId) ?? Infinity) - (place.get(b.userId) ?? Infinity) || a.userId.localeCompare(b.userId));
}
