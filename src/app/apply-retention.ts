import type { Clock, LocalTranscriptStore, Logger, OutboxRecords, Store } from './ports.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The playground's transcript, as far as retention needs it. */
export type TranscriptRetention = Pick<LocalTranscriptStore, 'deleteLocalBefore'>;

export interface RetentionDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /**
   * Every outbox whose items and dead letters should go: the one the replicas share and, with the
   * playground on, the playground's own (its items are dated by the demo clock).
   */
  outboxes: OutboxRecords[];
  /** The playground's transcript, when there is one. */
  transcript?: TranscriptRetention;
}

/**
 * Deletes every copy older than `days` (0 keeps everything): every team's replies, hours, mutes and snoozes of reminders, the outboxes' sent
 * and dead items (by when they last changed) and dead letters, and the playground's messages and
 * mails. Returns how many things went.
 */
export async function applyRetention(deps: RetentionDeps, days: number): Promise<number> {
  if (days <= 0) return 0;
  const cutoff = new Date(deps.clock.now().getTime() - days * DAY_MS);
  const { outboxes, transcript } = deps;
  const logged = (fields: Record<string, unknown>, deleted: number, message: string) => {
    if (deleted > 0) deps.logger.info({ ...fields, deleted, cutoff: cutoff.toISOString() }, message);
    return deleted;
  };
  let total = 0;
  for (const team of await deps.store.listTeams()) {
    const where = { tenant: team.tenant, team: team.team };
    total += logged(where, await deps.store.deleteRepliesBefore(team, cutoff), 'old replies deleted');
    total += logged(where, await deps.store.deleteHoursBefore(team, cutoff), 'old hours deleted');
    // A mute lasts as long as its run: it keeps no time (see ReminderMute), and goes once the team's run is another or over.
    const run = await deps.store.getRun(team);
    const current = run?.active ? { programmeId: run.programmeId, start: run.start } : undefined;
    total += logged(where, await deps.store.deleteReminderRecordsBefore(team, cutoff, current), 'old reminder mutes and snoozes deleted');
    let items = 0;
    for (const outbox of outboxes) items += await outbox.deleteBefore(team, cutoff.getTime());
    total += logged(where, items, 'old outbox items deleted');
    let letters = 0;
    for (const outbox of outboxes) letters += await outbox.deleteDeadLettersBefore(team, cutoff.getTime());
    total += logged(where, letters, 'old dead letters deleted');
    if (transcript) {
      const channelKey = (await deps.store.getRun(team))?.channelKey;
      total += logged(where, await transcript.deleteLocalBefore(team, cutoff, channelKey ? [channelKey] : []), 'old playground messages and mails deleted');
    }
  }
  return total;
}
