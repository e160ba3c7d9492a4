import type { TeamRef } from '../ports.ts';

// What a team writes and books: its documents (handleplan, I DO ART, beslutningsreferat) and its hours.

/**
 * A document a team works on in chat: an I DO ART draft, the handleplan (one per team: occurrence id
 * `handleplan`), the notes of a læringssamtale, a Bilag B, a beslutningsreferat; by occurrence.
 */
export interface TeamDocument {
  kind: 'idoArt' | 'actionPlan' | 'learningNotes' | 'preVisitPlan' | 'decisionMinutes';
  occurrenceId: string;
  authorId: string | null;
  fields: Record<string, string>;
  status: 'draft' | 'approved' | 'sentBack' | 'saved';
  at: string;
}

export interface DocumentStore {
  /** Stores it as the latest version and appends it to the document's versions, both at once. */
  saveDocument(team: TeamRef, document: TeamDocument): Promise<void>;
  getDocument(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string): Promise<TeamDocument | undefined>;
  /** Every version saved, oldest first (the latest is also `getDocument`'s): who changed what, and when. */
  documentVersions(team: TeamRef, kind: TeamDocument['kind'], occurrenceId: string): Promise<TeamDocument[]>;
}

/**
 * The hours one person spent on one occurrence: booked with its planned hours when it has ended, and
 * perhaps corrected by the person since. One entry per (person, occurrence).
 */
export interface HoursEntry {
  userId: string;
  occurrenceId: string;
  /** The person's role in the occurrence (the first of theirs in its audience). */
  role: string;
  /** What counts: the planned hours, or the person's own correction. */
  hours: number;
  /** When it was booked. */
  at: string;
  /** After a correction: the planned hours it replaced, kept beside it. */
  planned?: number;
  /** After a correction: when the person made it (only the person may). */
  correctedAt?: string;
}

export interface HoursStore {
  /**
   * Books the entry unless the person has one for the occurrence: true when it was booked. Booking
   * twice (two replicas, a tick repeated) books once and never undoes a correction.
   */
  addHours(team: TeamRef, entry: HoursEntry): Promise<boolean>;
  /**
   * The person's own correction of their booking: `hours` replaces what counts, the planned hours are kept
   * beside it. False, changing nothing, when the person has no booking for the occurrence.
   */
  correctHours(team: TeamRef, correction: { userId: string; occurrenceId: string; hours: number; at: string }): Promise<boolean>;
  /** Every booking, one per person and occurrence, as corrected; oldest booking first. */
  hours(team: TeamRef): Promise<HoursEntry[]>;
  /** Retention: deletes the bookings last changed (booked, or corrected) before `cutoff`; returns how many. */
  deleteHoursBefore(team: TeamRef, cutoff: Date): Promise<number>;
}
