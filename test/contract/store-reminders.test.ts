// The contract of the ReminderStore (mutes and snoozes of reminders to answer), on Redis and the embedded store.
import { expect, it } from 'vitest';
import type { ReminderMute, Snooze } from '../../src/app/ports.ts';
import { eachStore, OTHER, TEAM } from './store-fixtures.ts';

const mute = (userId: string, start = '2026-09-07'): ReminderMute => ({ userId, programmeId: 'odense-science-boernehoejde', start });
const snooze = (userId: string, occurrenceId: string, until: string): Snooze => ({ userId, occurrenceId, until });
const TOMORROW = '2026-09-17T06:00:00.000Z';
const byUser = <T extends { userId: string }>(list: T[]) => [...list].sort((a, b) => a.userId.localeCompare(b.userId));

eachStore('ReminderStore', (subject) => {
  it('keeps who muted their reminders, one mute per person, until they turn them on again, also after a restart', async () => {
    const { store } = subject();
    await store.muteReminders(TEAM, mute('anna'));
    await store.muteReminders(TEAM, mute('anna', '2027-08-16'));
    await store.muteReminders(TEAM, mute('29:bo@x'));
    await store.muteReminders(OTHER, mute('carl'));
    expect(byUser(await subject().reopen().reminderMutes(TEAM))).toEqual([mute('29:bo@x'), mute('anna', '2027-08-16')]);
    expect(await store.unmuteReminders(TEAM, 'anna')).toBe(true);
    expect(await store.unmuteReminders(TEAM, 'anna')).toBe(false);
    expect(await store.reminderMutes(TEAM)).toEqual([mute('29:bo@x')]);
    expect(await store.reminderMutes(OTHER)).toEqual([mute('carl')]);
  });

  it('gives each due snooze once and keeps it nowhere after; a later one waits, a new snooze of the same reminder moves it', async () => {
    const { store } = subject();
    await store.snoozeReminder(TEAM, snooze('anna', 'puls|1', '2026-09-16T06:00:00.000Z'));
    await store.snoozeReminder(TEAM, snooze('anna', 'puls|1', TOMORROW));
    await store.snoozeReminder(TEAM, snooze('bo', 'puls|1', TOMORROW));
    await store.snoozeReminder(TEAM, snooze('bo', 'refleksion', '2026-09-18T06:00:00.000Z'));
    await store.snoozeReminder(OTHER, snooze('anna', 'puls|1', TOMORROW));
    expect(byUser(await subject().reopen().snoozes(TEAM)).map((s) => [s.userId, s.occurrenceId, s.until])).toEqual([
      ['anna', 'puls|1', TOMORROW],
      ['bo', 'puls|1', TOMORROW],
      ['bo', 'refleksion', '2026-09-18T06:00:00.000Z'],
    ]);
    expect(await store.takeDueSnoozes(TEAM, Date.parse(TOMORROW) - 1)).toEqual([]);
    const replica = subject().replica?.() ?? store;
    const [first, second] = await Promise.all([store.takeDueSnoozes(TEAM, Date.parse(TOMORROW)), replica.takeDueSnoozes(TEAM, Date.parse(TOMORROW))]);
    expect(byUser([...first!, ...second!])).toEqual([snooze('anna', 'puls|1', TOMORROW), snooze('bo', 'puls|1', TOMORROW)]);
    expect(await store.takeDueSnoozes(TEAM, Date.parse(TOMORROW))).toEqual([]);
    expect(await subject().reopen().takeDueSnoozes(TEAM, Date.parse('2026-09-30T00:00:00Z'))).toEqual([snooze('bo', 'refleksion', '2026-09-18T06:00:00.000Z')]);
    expect(await store.takeDueSnoozes(OTHER, Date.parse(TOMORROW))).toEqual([snooze('anna', 'puls|1', TOMORROW)]);
  });

  it('gives the time back to the millisecond, however it was written', async () => {
    const { store } = subject();
    await store.snoozeReminder(TEAM, snooze('anna', 'puls', '2026-09-17T06:00:00Z'));
    expect(await store.snoozes(TEAM)).toEqual([snooze('anna', 'puls', TOMORROW)]);
  });

  it('drops one person’s snooze of one reminder (they answered), and the rest stay', async () => {
    const { store } = subject();
    await store.snoozeReminder(TEAM, snooze('anna', 'refleksion', TOMORROW));
    await store.snoozeReminder(TEAM, snooze('bo', 'refleksion', TOMORROW));
    expect(await store.dropSnooze(TEAM, 'anna', 'refleksion')).toBe(true);
    expect(await store.dropSnooze(TEAM, 'anna', 'refleksion')).toBe(false);
    expect(await store.takeDueSnoozes(TEAM, Date.parse(TOMORROW))).toEqual([snooze('bo', 'refleksion', TOMORROW)]);
  });

  it('retention deletes snoozes due before the cut-off and mutes of any run but the current one', async () => {
    const { store } = subject();
    await store.muteReminders(TEAM, mute('anna', '2025-08-11'));
    await store.muteReminders(TEAM, mute('bo'));
    await store.snoozeReminder(TEAM, snooze('anna', 'puls', '2025-01-02T06:00:00.000Z'));
    await store.snoozeReminder(TEAM, snooze('bo', 'puls', TOMORROW));
    expect(await store.deleteReminderRecordsBefore(TEAM, new Date('2026-01-01T00:00:00Z'), { programmeId: 'odense-science-boernehoejde', start: '2026-09-07' })).toBe(2);
    expect(await store.reminderMutes(TEAM)).toEqual([mute('bo')]);
    expect(await store.deleteReminderRecordsBefore(TEAM, new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect(await store.reminderMutes(TEAM)).toEqual([]);
    expect(await store.takeDueSnoozes(TEAM, Date.parse('2030-01-01T00:00:00Z'))).toEqual([snooze('bo', 'puls', TOMORROW)]);
  });
});
