import type { ConversationRef, TeamRef } from '../ports.ts';
import type { HoursEntry, TeamDocument } from './documents.ts';
import type { LocalMessage, SentMail } from './playground.ts';
import type { ReminderMute, Snooze } from './reminders.ts';
import type { StoredReply } from './replies.ts';
import type { Member } from './runs.ts';

// What is stored about a person, as `sparring export` and `sparring erase` see it.

/**
 * One port's share of a person's data rights. Every port that keeps anything about a person
 * contributes a part, and `sparring export/erase` only ever go through the list of parts, so a
 * new kind of personal data is exported and erased as soon as its port lists it.
 */
export interface PersonalDataPart {
  /** The field of the export (and the line of the erase report) this part fills. */
  name: string;
  export(team: TeamRef, userId: string): Promise<unknown>;
  /** Returns how many things it removed or unlinked. */
  erase(team: TeamRef, userId: string): Promise<number>;
}

export interface PersonalDataRegistry {
  /** Every part that holds data about a person, in the order they are erased (see each implementation). */
  personalDataParts(): PersonalDataPart[];
}

/** Everything stored about one person in one team, as `sparring export` prints it: one field per part. */
export interface PersonExport {
  team: TeamRef;
  userId: string;
  replies: StoredReply[];
  /** Anonymous occurrences the person answered: the marker only, never the answers. */
  answeredAnonymously: string[];
  conversations: ConversationRef[];
  documents: TeamDocument[];
  hours: HoursEntry[];
  /** The playground's messages to the person and mails to their address. */
  localTranscript: { messages: LocalMessage[]; mails: SentMail[] };
  /** The Slack installations of the team's workspace the person made: who and when, never the installation (it holds the tokens). */
  slackInstallations: Array<{ key: string; installedBy?: string; installedAt: string }>;
  /** Their entry in the team: roles, name, address. */
  member: Member | null;
  /** Whether they turned reminders off, and which reminder they asked to have again tomorrow. */
  reminders: { muted: ReminderMute | null; snoozes: Snooze[] };
}

/** What `sparring erase` removed, as the localized report names it; parts beyond these are listed by name. */
export interface ErasureReport {
  replies: number;
  anonymousMarkers: number;
  conversations: number;
  documentsUnlinked: number;
  hoursEntries: number;
}
