import type { HoursEntry, HoursStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** The hours ledger, appended to. */
export class EmbeddedHours implements HoursStore {
  constructor(private readonly data: EmbeddedData) {}

  async addHours(team: TeamRef, entry: HoursEntry) {
    this.data.team(team).hours.push(clone(entry));
    this.data.persist();
  }

  async hours(team: TeamRef) {
    return clone(this.data.peek(team)?.hours ?? []);
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'hours',
        export: async (team, userId) => (await this.hours(team)).filter((h) => h.userId === userId),
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          if (!data) return 0;
          const before = data.hours.length;
          data.hours = data.hours.filter((h) => h.userId !== userId);
          if (data.hours.length !== before) this.data.persist();
          return before - data.hours.length;
        },
      },
    ];
  }
}
