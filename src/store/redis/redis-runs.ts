import type { Run, RunStore, TeamRef } from '../../app/ports.ts';
import { encode } from '../values.ts';
import type { RedisMembers } from './redis-members.ts';
import type { RedisTeams } from './redis-team.ts';

/** Runs on Redis: the run's own fields in one value, its members through the members' entries. */
export class RedisRuns implements RunStore {
  private readonly teams: RedisTeams;
  private readonly members: RedisMembers;
  constructor(teams: RedisTeams, members: RedisMembers) {
    this.teams = teams;
    this.members = members;
  }

  async saveRun(run: Run) {
    const { members, ...fields } = run;
    await this.members.write(run.team, encode(fields), members);
  }

  async getRun(team: TeamRef): Promise<Run | undefined> {
    const { fields, members } = await this.members.read(team);
    return fields && { ...fields, members };
  }

  async listRuns() {
    const runs = await Promise.all((await this.listTeams()).map((team) => this.getRun(team)));
    return runs.filter((run): run is Run => run !== undefined);
  }

  async listTeams() {
    return this.teams.list();
  }
}
