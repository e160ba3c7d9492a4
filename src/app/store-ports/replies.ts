import type { Answers, Respondent } from '../../domain/replies/reply.ts';
import type { TeamRef } from '../ports.ts';

// Replies as stored, named or anonymous, and how a reply is recorded once.

/** A named reply as stored: the latest answers and every earlier version, oldest first. */
export interface StoredReply extends Answers {
  occurrenceId: string;
  respondent: Respondent;
  at: string;
  history: Array<Answers & { at: string }>;
}

/** An anonymous reply as stored: the answers and the day, nothing about who. */
export interface AnonymousReply extends Answers {
  occurrenceId: string;
  day: string;
}

export type RecordOutcome =
  /** Stored for the first time. */
  | 'created'
  /** Replaced an earlier reply of the same person (kept in its history). */
  | 'updated'
  /** The same answers again (a double click, a platform retry, a second replica): nothing changed. */
  | 'duplicate'
  /**
   * This person's anonymous reply is already stored, and it cannot be changed: nothing links it to
   * them any more. Erasing the person's data keeps it so (their marker stays). Also what a resent
   * first submit gets (a platform retry, or ioredis resending a command across a Redis restart), so
   * show it as saved.
   */
  | 'anonymousAlreadyAnswered';

export interface ReplyToRecord {
  occurrenceId: string;
  /**
   * For an anonymous reply the store keeps only the person's keyed marker (see anonymous-marker.ts),
   * computed in this process: no user or platform id is stored, logged or sent to Redis with it.
   */
  respondent: Respondent;
  answers: Answers;
  at: string;
  anonymous: boolean;
  /** For anonymous replies: the day in the team's zone, the only time kept. */
  day: string;
}

export interface ReplyStore {
  /** Idempotent on (occurrence, respondent); atomic, so two replicas with the same submit store one reply. */
  recordReply(team: TeamRef, reply: ReplyToRecord): Promise<RecordOutcome>;
  namedReplies(team: TeamRef, occurrenceId: string): Promise<StoredReply[]>;
  anonymousReplies(team: TeamRef, occurrenceId: string): Promise<AnonymousReply[]>;
  /** Who has answered a named occurrence (user ids). An anonymous one keeps no user ids, so none are listed: ask `hasAnswered`. */
  respondents(team: TeamRef, occurrenceId: string): Promise<string[]>;
  /**
   * Which of these people have answered, named or anonymous: reminders go to the rest. For an anonymous
   * occurrence the store computes each one's keyed marker and looks for it.
   */
  hasAnswered(team: TeamRef, occurrenceId: string, userIds: readonly string[]): Promise<Set<string>>;
  /** Deletes replies (named and anonymous) written before `cutoff`; returns how many. */
  deleteRepliesBefore(team: TeamRef, cutoff: Date): Promise<number>;
}
