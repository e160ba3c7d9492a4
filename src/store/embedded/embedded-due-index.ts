import type { DueIndex, DueRun, TeamRef } from '../../app/ports.ts';
import { teamFromIndexMember, teamIndexMember } from '../keys.ts';
import type { EmbeddedData } from './embedded-data.ts';

/**
 * The due-time index of the embedded store: in memory only, not in the file. It is rebuilt as it starts, with
 * every run in the file due (the scheduler works the times out at its first tick), which is also what a
 * start-up must do after a deploy. One process, but the same revisions as on Redis: a card click can change a
 * run while the tick awaits between reading it and writing its time.
 */
export class EmbeddedDueIndex implements DueIndex {
  /** team index member → when due (ms) */
  private readonly due = new Map<string, number>();
  private readonly revisions = new Map<string, number>();

  private readonly data: EmbeddedData;

  constructor(data: EmbeddedData) {
    this.data = data;
    for (const [member, team] of Object.entries(data.teams)) if (team.run) this.due.set(member, 0);
  }

  async dueRuns(nowMs: number): Promise<DueRun[]> {
    return [...this.due]
      .filter(([, dueMs]) => dueMs <= nowMs)
      .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
      .map(([member, dueMs]) => ({ team: teamFromIndexMember(member), dueMs, revision: this.revisions.get(member) ?? 0 }));
  }

  async reschedule(team: TeamRef, revision: number, nextMs: number | undefined) {
    const member = teamIndexMember(team);
    if ((this.revisions.get(member) ?? 0) !== revision) return false;
    if (nextMs === undefined) this.due.delete(member);
    else this.due.set(member, Math.floor(nextMs));
    return true;
  }

  async markDue(team: TeamRef, atMs = 0) {
    this.mark(teamIndexMember(team), Math.floor(atMs));
  }

  async markAllDue() {
    const members = Object.keys(this.data.teams);
    for (const member of members) this.mark(member, 0);
    return members.length;
  }

  async dueAt(team: TeamRef) {
    return this.due.get(teamIndexMember(team));
  }

  private mark(member: string, atMs: number) {
    const current = this.due.get(member);
    if (current === undefined || current > atMs) this.due.set(member, atMs);
    this.revisions.set(member, (this.revisions.get(member) ?? 0) + 1);
  }
}
