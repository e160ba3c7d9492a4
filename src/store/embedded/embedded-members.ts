import type { Member, MemberStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** A team's members in the embedded file: one entry each, in the order first added. */
export class EmbeddedMembers implements MemberStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async saveMember(team: TeamRef, member: Member) {
    this.upsert(team, [member]);
    this.data.persist();
  }

  async removeMember(team: TeamRef, userId: string) {
    const data = this.data.peek(team);
    if (!data?.members?.some((m) => m.userId === userId)) return false;
    data.members = data.members.filter((m) => m.userId !== userId);
    this.data.persist();
    return true;
  }

  async members(team: TeamRef) {
    return clone(this.data.peek(team)?.members ?? []);
  }

  /** Adds or replaces each member in place, without persisting: the caller does once for the whole change. */
  upsert(team: TeamRef, members: Member[]) {
    const entries = (this.data.team(team).members ??= []);
    for (const member of clone(members)) {
      const i = entries.findIndex((m) => m.userId === member.userId);
      if (i < 0) entries.push(member);
      else entries[i] = member;
    }
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
