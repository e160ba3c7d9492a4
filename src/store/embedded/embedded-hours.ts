import type { HoursEntry, HoursStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** The hours ledger: one entry per person and occurrence, oldest booking first. */
export class EmbeddedHours implements HoursStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async addHours(team: TeamRef, entry: HoursEntry) {
    const hours = this.data.peek(team)?.hours ?? [];
    if (hours.some((h) => h.userId === entry.userId && h.occurrenceId === entry.occurrenceId)) return false;
    this.data.change({ push: this.data.path(team, 'hours'), value: clone(entry) });
    return true;
  }

  async correctHours(team: TeamRef, correction: { userId: string; occurrenceId: string; hours: number; at: string }) {
    const hours = this.data.peek(team)?.hours ?? [];
    const i = hours.findIndex((h) => h.userId === correction.userId && h.occurrenceId === correction.occurrenceId);
    const entry = hours[i];
    if (!entry) return false;
    const corrected: HoursEntry = { ...entry, planned: entry.planned ?? entry.hours, hours: correction.hours, correctedAt: correction.at };
    this.data.change({ set: this.data.path(team, 'hours', String(i)), value: corrected });
    return true;
  }

  async hours(team: TeamRef) {
    return clone(this.data.peek(team)?.hours ?? []);
  }

  async deleteHoursBefore(team: TeamRef, cutoff: Date) {
    const data = this.data.peek(team);
    if (!data) return 0;
    const before = data.hours.length;
    // Dated by its correction, else its booking.
    data.hours = data.hours.filter((h) => Date.parse(h.correctedAt ?? h.at) >= cutoff.getTime());
    // Written whole: what retention deletes leaves the disk at once.
    if (data.hours.length !== before) this.data.persist();
    return before - data.hours.length;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'hours',
        // With a correction: the hours, the planned hours beside them and when the person corrected them.
        export: async (team, userId) => (await this.hours(team)).filter((h) => h.userId === userId),
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          if (!data) return 0;
          const before = data.hours.length;
          data.hours = data.hours.filter((h) => h.userId !== userId);
          // Written whole: what an erasure removes leaves the disk at once.
          if (data.hours.length !== before) this.data.persist();
          return before - data.hours.length;
        },
      },
    ];
  }
}
