import type { TeamRef } from '../ports.ts';

// Reminders to answer: who muted them, and whose comes again tomorrow.

/** A person's "remind me tomorrow" of the reminder to answer one occurrence: it comes again at `until`. */
export interface Snooze {
  userId: string;
  occurrenceId: string;
  /** ISO instant; read back to the millisecond (`toISOString`). */
  until: string;
}

/**
 * A person's "no reminders in this programme": for the team's run of that programme from that start. It keeps no
 * time: muting from a reminder on a day would say the person had not answered that day.
 */
export interface ReminderMute {
  userId: string;
  programmeId: string;
  /** The run's start (YYYY-MM-DD): a later run of the team reminds again. */
  start: string;
}

/** Who does not want reminders to answer, and whose reminder comes again tomorrow. */
export interface ReminderStore {
  /** Adds the person's mute, or replaces theirs. */
  muteReminders(team: TeamRef, mute: ReminderMute): Promise<void>;
  /** True when there was a mute to remove. */
  unmuteReminders(team: TeamRef, userId: string): Promise<boolean>;
  reminderMutes(team: TeamRef): Promise<ReminderMute[]>;
  /** The team's snoozes still to come. */
  snoozes(team: TeamRef): Promise<Snooze[]>;
  /** Adds the person's snooze of the occurrence, or moves theirs to the new time. */
  snoozeReminder(team: TeamRef, snooze: Snooze): Promise<void>;
  /**
   * Deletes and returns the snoozes due by `nowMs` in one step: of replicas asking at once, each snooze goes
   * to one, and none stays behind to say whom it was for.
   */
  takeDueSnoozes(team: TeamRef, nowMs: number): Promise<Snooze[]>;
  /** True when there was such a snooze (the person has answered, so it is not needed). */
  dropSnooze(team: TeamRef, userId: string, occurrenceId: string): Promise<boolean>;
  /** Retention: deletes snoozes due before `cutoff`, and mutes of any run but `current` (all without one); returns how many. */
  deleteReminderRecordsBefore(team: TeamRef, cutoff: Date, current?: { programmeId: string; start: string }): Promise<number>;
}
