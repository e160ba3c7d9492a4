import type { PersonalDataPart, ReminderMute, ReminderStore, Snooze, TeamRef } from '../../app/ports.ts';
import { clone, type EmbeddedData } from './embedded-data.ts';

/** Mutes by user id and snoozes in a list, in the team's part of the file. */
export class EmbeddedReminders implements ReminderStore {
  private readonly data: EmbeddedData;
  constructor(data: EmbeddedData) {
    this.data = data;
  }

  async muteReminders(team: TeamRef, mute: ReminderMute) {
    this.data.change({ set: this.data.path(team, 'reminderMutes', mute.userId), value: clone(mute) });
  }

  async unmuteReminders(team: TeamRef, userId: string) {
    const mutes = this.data.peek(team)?.reminderMutes;
    if (!mutes || !Object.hasOwn(mutes, userId)) return false;
    this.data.change({ unset: this.data.path(team, 'reminderMutes', userId) });
    return true;
  }

  async reminderMutes(team: TeamRef) {
    return clone(Object.values(this.data.peek(team)?.reminderMutes ?? {}));
  }

  async snoozes(team: TeamRef) {
    return clone(this.data.peek(team)?.snoozes ?? []);
  }

  async snoozeReminder(team: TeamRef, snooze: Snooze) {
    const snoozes = this.data.peek(team)?.snoozes ?? [];
    // As Redis gives it back (a time in ms): to the millisecond.
    const until = new Date(snooze.until).toISOString();
    const kept = snoozes.filter((s) => !(s.userId === snooze.userId && s.occurrenceId === snooze.occurrenceId));
    this.data.change({ set: this.data.path(team, 'snoozes'), value: [...kept, { ...clone(snooze), until }] });
  }

  /** Deletes the snoozes `dropped` picks; returns them. */
  private drop(team: TeamRef, dropped: (s: Snooze) => boolean): Snooze[] {
    const data = this.data.peek(team);
    const gone = (data?.snoozes ?? []).filter(dropped);
    if (data && gone.length > 0) this.data.change({ set: this.data.path(team, 'snoozes'), value: (data.snoozes ?? []).filter((s) => !dropped(s)) });
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
    // Written whole: what retention deletes leaves the disk at once.
    if (snoozes + old.length > 0) this.data.persist();
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
        erase: async (team, userId) => {
          const erased = this.drop(team, (s) => s.userId === userId).length + ((await this.unmuteReminders(team, userId)) ? 1 : 0);
          // Written whole: what an erasure removes leaves the disk at once.
          if (erased > 0) this.data.persist();
          return erased;
        },
      },
    ];
  }
}
