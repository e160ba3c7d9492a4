import type { HoursEntry, HoursStore, PersonalDataPart, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** The hours ledger: one entry per person and occurrence, oldest booking first. */
export class EmbeddedHours implements HoursStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async addHours(team: TeamRef, entry: HoursEntry) {
    const hours = this.data.team(team).hours;
    if (hours.some((h) => h.userId === entry.userId && h.occurrenceId === entry.occurrenceId)) return false;
    hours.push(clone(entry));
    this.data.persist();
    return true;
  }

  async correctHours(team: TeamRef, correction: { userId: string; occurrenceId: string; hours: number; at: string }) {
    const entry = this.data.peek(team)?.hours.find((h) => h.userId === correction.userId && h.occurrenceId === correction.occurrenceId);
    if (!entry) return false;
    entry.planned ??= entry.hours;
    entry.hours = correction.hours;
    entry.correctedAt = correction.at;
    this.data.persist();
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
          if (data.hours.length !== before) this.data.persist();
          return before - data.hours.length;
        },
      },
    ];
  }
}
