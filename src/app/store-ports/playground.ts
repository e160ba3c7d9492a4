import type { Mail, TeamRef } from '../ports.ts';

// The playground's transcript: what Teams, Slack or SMTP would hold in production.

/** A message in a playground conversation: the card exactly as Teams would get it. */
export interface LocalMessage {
  id: string;
  at: string;
  updatedAt?: string;
  card: Record<string, unknown>;
  text: string;
}

/** A mail the playground "sent" (what would have gone out by SMTP). */
export interface SentMail extends Mail {
  id: string;
  at: string;
}

/** The playground's transcript: what Teams, Slack or SMTP would hold in production, so it is not a production port. */
export interface LocalTranscriptStore {
  /** A message as posted (or replaced), by conversation key. */
  saveLocalMessage(team: TeamRef, conversation: string, message: LocalMessage): Promise<void>;
  localMessages(team: TeamRef, conversation: string): Promise<LocalMessage[]>;
  /** The playground's sent mails, oldest first. */
  saveLocalMail(team: TeamRef, mail: SentMail): Promise<void>;
  localMails(team: TeamRef): Promise<SentMail[]>;
  /**
   * Retention: deletes messages (by their latest version) and mails older than `cutoff`; returns how
   * many. Every member's own conversation is swept; `conversations` adds others (the team channel's).
   */
  deleteLocalBefore(team: TeamRef, cutoff: Date, conversations?: string[]): Promise<number>;
}
