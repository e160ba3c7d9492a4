import type { Run, RunStore, TeamRef } from '../../app/ports.ts';
import { teamFromIndexMember } from '../keys.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';
import type { EmbeddedMembers } from './embedded-members.ts';

/** Runs in the embedded file: the run's own fields, its members through their entries. */
export class EmbeddedRuns implements RunStore {
  private readonly data: EmbeddedData;
  private readonly members: EmbeddedMembers;
  constructor(data: EmbeddedData, members: EmbeddedMembers) {
    this.data = data;
    this.members = members;
  }

  async saveRun(run: Run) {
    const { members, ...fields } = clone(run);
    // Upserts only, as on Redis: saving a run never drops a member someone else added.
    this.data.change({ set: this.data.path(run.team, 'run'), value: fields }, ...this.members.upsert(run.team, members));
  }

  async getRun(team: TeamRef) {
    const data = this.data.peek(team);
    return data?.run && { ...clone(data.run), members: clone(data.members ?? []) };
  }

  async listRuns() {
    return Object.values(this.data.teams).flatMap((t) => (t.run ? [{ ...clone(t.run), members: clone(t.members ?? []) }] : []));
  }

  async listTeams() {
    return Object.keys(this.data.teams).sort().map(teamFromIndexMember);
  }
}
