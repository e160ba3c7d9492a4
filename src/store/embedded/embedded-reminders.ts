import type { PersonalDataPart, ReminderMute, ReminderStore, Snooze, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** Mutes by user id and snoozes in a list, in the team's part of the file. */
export class EmbeddedReminders implements ReminderStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async muteReminders(team: TeamRef, mute: ReminderMute) {
    (this.data.team(team).reminderMutes ??= {})[mute.userId] = clone(mute);
    this.data.persist();
  }

  async unmuteReminders(team: TeamRef, userId: string) {
    const mutes = this.data.peek(team)?.reminderMutes;
    if (!mutes?.[userId]) return false;
    delete mutes[userId];
    this.data.persist();
    return true;
  }

  async reminderMutes(team: TeamRef) {
    return clone(Object.values(this.data.peek(team)?.reminderMutes ?? {}));
  }

  async snoozes(team: TeamRef) {
    return clone(this.data.peek(team)?.snoozes ?? []);
  }

  async snoozeReminder(team: TeamRef, snooze: Snooze) {
    const data = this.data.team(team);
    // As Redis gives it back (a time in ms): to the millisecond.
    const until = new Date(snooze.until).toISOString();
    data.snoozes = [...(data.snoozes ?? []).filter((s) => !(s.userId === snooze.userId && s.occurrenceId === snooze.occurrenceId)), { ...clone(snooze), until }];
    this.data.persist();
  }

  /** Deletes the snoozes `dropped` picks; returns them. */
  private drop(team: TeamRef, dropped: (s: Snooze) => boolean): Snooze[] {
    const data = this.data.peek(team);
    const gone = (data?.snoozes ?? []).filter(dropped);
    if (data && gone.length > 0) {
      data.snoozes = (data.snoozes ?? []).filter((s) => !dropped(s));
      this.data.persist();
    }
    return clone(gone);
  }

  async takeDueSnoozes(team: TeamRef, nowMs: number) {
    return this.drop(team, (s) => Date.parse(s.until) <= nowMs);
  }

  async dropSnooze(team: TeamRef, userId: string, occurrenceId: string) {
    return this.drop(team, (s) => s.userId === userId && s.occurrenceId === occurrenceId).length > 0;
  }

  async deleteReminderRecordsBefore(team: TeamRef, cutoff: Date, current?: { programmeId: string; start: string }) {
    const snoozes = this.drop(team, (s) => Date.parse(s.until) < cutoff.getTime()).length;
    const old = (await this.reminderMutes(team)).filter((m) => m.programmeId !== current?.programmeId || m.start !== current.start);
    for (const mute of old) await this.unmuteReminders(team, mute.userId);
    return snoozes + old.length;
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'reminders',
        export: async (team, userId) => ({
          muted: (await this.reminderMutes(team)).find((m) => m.userId === userId) ?? null,
          snoozes: (await this.snoozes(team)).filter((s) => s.userId === userId),
        }),
        erase: async (team, userId) => this.drop(team, (s) => s.userId === userId).length + ((await this.unmuteReminders(team, userId)) ? 1 : 0),
      },
    ];
  }
}
