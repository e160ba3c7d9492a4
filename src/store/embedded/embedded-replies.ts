import { anonymousMarker } from '../../app/anonymous-marker.ts';
import type { PersonalDataPart, Random, RecordOutcome, ReplyStore, ReplyToRecord, StoredReply, TeamRef } from '../../app/ports.ts';
import { DEVELOPMENT_ANONYMITY_SECRET } from '../../config.ts';
import { teamFromIndexMember } from '../keys.ts';
import { dayStart, fingerprint } from '../values.ts';
import { clone, type EmbeddedData, hasSorted, type Named } from './embedded-data.ts';

/**
 * Replies in the embedded file. Named: by occurrence and user, with their history. Anonymous: by
 * occurrence and a random id, at a random place, and who answered as keyed markers kept apart,
 * linked by nothing; no user id is kept for them.
 */
export class EmbeddedReplies implements ReplyStore {
  private readonly data: EmbeddedData;
  private readonly random: Random;
  /** ANONYMITY_SECRET as `anonymitySecret(config)` gives it; left out, the playground's fixed key (tests). */
  private readonly anonymitySecret: string;
  constructor(data: EmbeddedData, random: Random, anonymitySecret: string = DEVELOPMENT_ANONYMITY_SECRET) {
    this.data = data;
    this.random = random;
    this.anonymitySecret = anonymitySecret;
    if (this.moveLegacyAnonymous()) this.data.persist();
  }

  private marker(team: TeamRef, occurrenceId: string, userId: string) {
    return anonymousMarker(this.anonymitySecret, team, occurrenceId, userId);
  }

  /**
   * Files of releases before the markers name who answered an anonymous occurrence (in `respondents`
   * and `userAnonymous`) and keep its answers in arrival order. On opening, the user ids become markers
   * and the answers are shuffled, so the next write leaves neither in the file. Returns whether anything changed.
   */
  private moveLegacyAnonymous(): boolean {
    let moved = false;
    for (const [member, data] of Object.entries(this.data.teams)) {
      const team = teamFromIndexMember(member);
      for (const [occurrenceId, answers] of Object.entries(data.anonymous)) {
        const userIds = data.respondents[occurrenceId];
        if (!userIds) continue;
        const answered = (data.answered ??= {});
        answered[occurrenceId] = [...new Set([...(answered[occurrenceId] ?? []), ...userIds.map((userId) => this.marker(team, occurrenceId, userId))])].sort();
        delete data.respondents[occurrenceId];
        data.anonymous[occurrenceId] = answers.reshuffled(() => this.random.next());
        moved = true;
      }
      if (Object.keys(data.userAnonymous ?? {}).length > 0) {
        data.userAnonymous = {};
        moved = true;
      }
    }
    return moved;
  }

  async recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome> {
    const data = this.data.peek(team);
    const { occurrenceId } = reply;
    const { userId } = reply.respondent;
    if (reply.anonymous) {
      const marker = this.marker(team, occurrenceId, userId);
      if (hasSorted(data?.answered?.[occurrenceId], marker)) return 'anonymousAlreadyAnswered';
      const answer = { occurrenceId, ...clone(reply.answers), day: reply.day };
      // The marker and the answer in one journal line: both are kept, or neither.
      this.data.change(
        { addSorted: this.data.path(team, 'answered', occurrenceId), value: marker },
        { shuffleIn: this.data.path(team, 'anonymous', occurrenceId), id: this.random.id(), value: answer, place: this.random.next() },
      );
      return 'created';
    }
    const fp = fingerprint(reply.answers);
    const current = data?.named[occurrenceId]?.[userId];
    if (current?.fp === fp) return 'duplicate';
    const history = current ? [...current.history, { outcome: current.outcome, values: current.values, at: current.at }] : [];
    const named: Named = { occurrenceId, respondent: clone(reply.respondent), ...clone(reply.answers), at: reply.at, history, fp };
    this.data.change({ set: this.data.path(team, 'named', occurrenceId, userId), value: named }, { addSorted: this.data.path(team, 'respondents', occurrenceId), value: userId });
    return current ? 'updated' : 'created';
  }

  async namedReplies(team: TeamRef, occurrenceId: string) {
    return Object.values(this.data.peek(team)?.named[occurrenceId] ?? {})
      .map(withoutFingerprint)
      .sort((a, b) => a.at.localeCompare(b.at) || a.respondent.userId.localeCompare(b.respondent.userId));
  }

  async anonymousReplies(team: TeamRef, occurrenceId: string) {
    return clone(this.data.peek(team)?.anonymous[occurrenceId]?.values() ?? []);
  }

  async respondents(team: TeamRef, occurrenceId: string) {
    return [...(this.data.peek(team)?.respondents[occurrenceId] ?? [])];
  }

  async hasAnswered(team: TeamRef, occurrenceId: string, userIds: readonly string[]): Promise<Set<string>> {
    const data = this.data.peek(team);
    const named = data?.respondents[occurrenceId];
    const marked = data?.answered?.[occurrenceId];
    return new Set(userIds.filter((userId) => hasSorted(named, userId) || (marked !== undefined && hasSorted(marked, this.marker(team, occurrenceId, userId)))));
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
    const markers = data.answered;
    for (const [occurrenceId, answers] of Object.entries(data.anonymous)) {
      deleted += answers.deleteWhere((reply) => dayStart(reply.day) < cutoff.getTime());
      // Who answered an anonymous occurrence goes with its last answer: the markers cannot be matched to answers.
      if (answers.size === 0 && markers?.[occurrenceId]) delete markers[occurrenceId];
    }
    // Written whole: what retention deletes leaves the disk at once.
    if (deleted > 0) this.data.persist();
    return deleted;
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
          // Written whole: what an erasure removes leaves the disk at once.
          if (erased > 0) this.data.persist();
          return erased;
        },
      },
      {
        // Anonymous occurrences the person answered, found by computing their marker: never the answers.
        name: 'answeredAnonymously',
        export: async (team, userId) => {
          const markers: Record<string, string[]> = this.data.peek(team)?.answered ?? {};
          return Object.keys(markers)
            .filter((occurrenceId) => hasSorted(markers[occurrenceId], this.marker(team, occurrenceId, userId)))
            .sort();
        },
        // The markers stay: a marker is what refuses a second answer, and without the secret it names no one.
        erase: async () => 0,
      },
    ];
  }
}

function withoutFingerprint(reply: Named): StoredReply {
  const { fp: _fp, ...rest } = clone(reply);
  return rest;
}
