import type { PersonalDataPart, Random, RecordOutcome, ReplyStore, ReplyToRecord, StoredReply, TeamRef } from '../../app/ports.ts';
import { dayStart, fingerprint } from '../values.ts';
import { clone, type EmbeddedData, type Named } from './embedded-data.ts';

const addTo = (list: string[] | undefined, item: string) => [...new Set([...(list ?? []), item])].sort();

/**
 * Replies in the embedded file. Named: by occurrence and user, with their history. Anonymous: by
 * occurrence and a random id, and who answered kept apart, linked by nothing.
 */
export class EmbeddedReplies implements ReplyStore {
  constructor(
    private readonly data: EmbeddedData,
    private readonly random: Random,
  ) {}

  async recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome> {
    const data = this.data.team(team);
    const { occurrenceId } = reply;
    const { userId } = reply.respondent;
    const respondents = data.respondents[occurrenceId] ?? [];
    if (reply.anonymous) {
      if (respondents.includes(userId)) return 'anonymousAlreadyAnswered';
      data.respondents[occurrenceId] = addTo(respondents, userId);
      (data.anonymous[occurrenceId] ??= {})[this.random.id()] = { occurrenceId, ...clone(reply.answers), day: reply.day };
      data.userAnonymous[userId] = addTo(data.userAnonymous[userId], occurrenceId);
      this.data.persist();
      return 'created';
    }
    const fp = fingerprint(reply.answers);
    const byUser = (data.named[occurrenceId] ??= {});
    const current = byUser[userId];
    if (current?.fp === fp) return 'duplicate';
    const history = current ? [...current.history, { outcome: current.outcome, values: current.values, at: current.at }] : [];
    byUser[userId] = { occurrenceId, respondent: clone(reply.respondent), ...clone(reply.answers), at: reply.at, history, fp };
    data.respondents[occurrenceId] = addTo(respondents, userId);
    this.data.persist();
    return current ? 'updated' : 'created';
  }

  async namedReplies(team: TeamRef, occurrenceId: string) {
    return Object.values(this.data.peek(team)?.named[occurrenceId] ?? {})
      .map(withoutFingerprint)
      .sort((a, b) => a.at.localeCompare(b.at) || a.respondent.userId.localeCompare(b.respondent.userId));
  }

  async anonymousReplies(team: TeamRef, occurrenceId: string) {
    return clone(Object.values(this.data.peek(team)?.anonymous[occurrenceId] ?? {}));
  }

  async respondents(team: TeamRef, occurrenceId: string) {
    return [...(this.data.peek(team)?.respondents[occurrenceId] ?? [])];
  }

  async deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number> {
    const data = this.data.peek(team);
    if (!data) return 0;
    let deleted = 0;
    for (const [occurrenceId, byUser] of Object.entries(data.named)) {
      for (const [userId, reply] of Object.entries(byUser)) {
        if (Date.parse(reply.at) >= cutoff.getTime()) continue;
        delete byUser[userId];
        data.respondents[occurrenceId] = (data.respondents[occurrenceId] ?? []).filter((u) => u !== userId);
        deleted++;
      }
    }
    for (const [occurrenceId, byId] of Object.entries(data.anonymous)) {
      for (const [id, reply] of Object.entries(byId)) {
        if (dayStart(reply.day) >= cutoff.getTime()) continue;
        delete byId[id];
        deleted++;
      }
      // Who answered an anonymous occurrence goes with its last answer: the markers cannot be matched to answers.
      if (Object.keys(byId).length === 0 && data.respondents[occurrenceId]) {
        for (const userId of data.respondents[occurrenceId]) data.userAnonymous[userId] = (data.userAnonymous[userId] ?? []).filter((o) => o !== occurrenceId);
        delete data.respondents[occurrenceId];
      }
    }
    if (deleted > 0) this.data.persist();
    return deleted;
  }

  /** Occurrences where the person is marked as having answered, with no named reply: their anonymous answers. */
  private markedOnly(team: TeamRef, userId: string) {
    const data = this.data.peek(team);
    if (!data) return [];
    return Object.entries(data.respondents)
      .filter(([occurrenceId, users]) => users.includes(userId) && !data.named[occurrenceId]?.[userId])
      .map(([occurrenceId]) => occurrenceId)
      .sort();
  }

  personalDataParts(): PersonalDataPart[] {
    return [
      {
        name: 'replies',
        export: async (team, userId) => {
          const named = this.data.peek(team)?.named ?? {};
          return Object.keys(named)
            .sort()
            .flatMap((occurrenceId) => {
              const reply = named[occurrenceId]?.[userId];
              return reply ? [withoutFingerprint(reply)] : [];
            });
        },
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          if (!data) return 0;
          let erased = 0;
          for (const [occurrenceId, byUser] of Object.entries(data.named)) {
            if (!byUser[userId]) continue;
            delete byUser[userId];
            data.respondents[occurrenceId] = (data.respondents[occurrenceId] ?? []).filter((u) => u !== userId);
            erased++;
          }
          if (erased > 0) this.data.persist();
          return erased;
        },
      },
      {
        // Only the marker that they answered: the anonymous answers say nothing about who, and stay.
        name: 'answeredAnonymously',
        export: async (team, userId) => this.markedOnly(team, userId),
        erase: async (team, userId) => {
          const data = this.data.peek(team);
          const marked = this.markedOnly(team, userId);
          if (!data || marked.length === 0) return 0;
          for (const occurrenceId of marked) data.respondents[occurrenceId] = (data.respondents[occurrenceId] ?? []).filter((u) => u !== userId);
          delete data.userAnonymous[userId];
          this.data.persist();
          return marked.length;
        },
      },
    ];
  }
}

function withoutFingerprint(reply: Named): StoredReply {
  const { fp: _fp, ...rest } = clone(reply);
  return rest;
}
