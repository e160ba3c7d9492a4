import type { Random } from '../../app/ports.ts';
import { ComposedStore } from '../composed-store.ts';
import { EmbeddedConversations } from './embedded-conversations.ts';
import { EmbeddedData, type EmbeddedDataOptions } from './embedded-data.ts';
import { EmbeddedDocuments } from './embedded-documents.ts';
import { EmbeddedDueIndex } from './embedded-due-index.ts';
import { EmbeddedHours } from './embedded-hours.ts';
import { EmbeddedReminders } from './embedded-reminders.ts';
import { EmbeddedLocalTranscript } from './embedded-local-transcript.ts';
import { EmbeddedMembers } from './embedded-members.ts';
import { EmbeddedReplies } from './embedded-replies.ts';
import { EmbeddedRuns } from './embedded-runs.ts';
import { EmbeddedSlackInstallations } from './embedded-slack-installations.ts';
import { MemoryClaims } from './memory-delivery.ts';

/**
 * The store for a machine with no Redis (the playground, a trial): one object per port over one
 * JSON file (see EmbeddedData), composed here. Single process only; the Redis store is for replicas.
 */
export class EmbeddedStore extends ComposedStore {
  /** The scheduler's claims, with what has fired kept in this store's file, so a restart posts nothing twice. */
  readonly claims: MemoryClaims;

  private readonly data: EmbeddedData;

  /** `file` undefined keeps everything in memory only (tests); `anonymitySecret` as `anonymitySecret(config)` gives it (default: the development key). */
  constructor(file: string | undefined, random: Random, anonymitySecret?: string, options?: EmbeddedDataOptions) {
    const data = new EmbeddedData(file, options);
    const members = new EmbeddedMembers(data);
    super({
      members,
      runs: new EmbeddedRuns(data, members),
      due: new EmbeddedDueIndex(data),
      conversations: new EmbeddedConversations(data),
      replies: new EmbeddedReplies(data, random, anonymitySecret),
      documents: new EmbeddedDocuments(data),
      hours: new EmbeddedHours(data),
      reminders: new EmbeddedReminders(data),
      slackInstallations: new EmbeddedSlackInstallations(data),
      transcript: new EmbeddedLocalTranscript(data, members),
    });
    this.data = data;
    this.claims = new MemoryClaims({
      has: (team, occurrenceId) => data.peek(team)?.fired?.includes(occurrenceId) ?? false,
      add: (team, occurrenceId) => {
        if (!data.peek(team)?.fired?.includes(occurrenceId)) data.change({ push: data.path(team, 'fired'), value: occurrenceId });
      },
      all: (team) => new Set(data.peek(team)?.fired ?? []),
    });
  }

  /** Leaves the data file whole, with an empty journal, so it is all there is to copy. */
  async close() {
    this.data.close();
  }

  reachable() {
    return true;
  }
}
