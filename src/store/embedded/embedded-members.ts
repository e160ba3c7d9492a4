import type { Member, MemberStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { type Change, clone, type EmbeddedData } from './embedded-data.ts';

/** A team's members in the embedded file: one entry each, in the order first added. */
export class EmbeddedMembers implements MemberStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async saveMember(team: TeamRef, member: Member) {
    this.data.change(...this.upsert(team, [member]));
  }

  async removeMember(team: TeamRef, userId: string) {
    const data = this.data.peek(team);
    if (!data?.members?.some((m) => m.userId === userId)) return false;
    data.members = data.members.filter((m) => m.userId !== userId);
    // Written whole: a member removed (or erased) leaves the disk at once.
    this.data.persist();
    return true;
  }

  async members(team: TeamRef) {
    return clone(this.data.peek(team)?.members ?? []);
  }

  /** The changes that add or replace each member in place: the caller makes them, with any of its own, as one. */
  upsert(team: TeamRef, members: Member[]): Change[] {
    const entries = this.data.peek(team)?.members ?? [];
    const places = new Map(entries.map((m, i) => [m.userId, i]));
    let length = entries.length;
    const changes: Change[] = [];
    for (const member of clone(members)) {
      const i = places.get(member.userId);
      if (i === undefined) {
        places.set(member.userId, length++);
        changes.push({ push: this.data.path(team, 'members'), value: member });
      } else changes.push({ set: this.data.path(team, 'members', String(i)), value: member });
    }
    return changes;
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
