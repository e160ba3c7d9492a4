export type * from './store-ports/runs.ts';
export type * from './store-ports/replies.ts';
export type * from './store-ports/documents.ts';
export type * from './store-ports/reminders.ts';
export type * from './store-ports/playground.ts';
export type * from './store-ports/slack-installations.ts';
export type * from './store-ports/personal-data.ts';
import type { ConversationStore, DueIndex, MemberStore, RunStore } from './store-ports/runs.ts';
import type { ReplyStore } from './store-ports/replies.ts';
import type { DocumentStore, HoursStore } from './store-ports/documents.ts';
import type { ReminderStore } from './store-ports/reminders.ts';
import type { LocalTranscriptStore } from './store-ports/playground.ts';
import type { SlackInstallationStore } from './store-ports/slack-installations.ts';
import type { PersonalDataRegistry } from './store-ports/personal-data.ts';

/**
 * The store, as ports that each hold one concept. A use case asks for the one or two it needs, so a
 * test double stays small and a reader sees at a glance what a use case can touch. Both
 * implementations (Redis and the embedded file) implement all of them; see `StoreImplementation`.
 *
 * Each port's types are in store-ports/, a file per concept; this file puts them together.
 */

export interface Closable {
  /** Closing twice is harmless. */
  close(): Promise<void>;
  /** Whether the store can take a command now (Redis connected); `/readyz` asks. The embedded store always can. */
  reachable(): boolean;
}

/** The store the scheduler, delivery and the use cases see: every port but the playground's transcript. */
export type Store = RunStore & DueIndex & MemberStore & ConversationStore & ReplyStore & DocumentStore & HoursStore & ReminderStore & SlackInstallationStore & Closable;

/** The playground's store: the production ports plus its transcript, which no production code can reach. */
export type PlaygroundStore = Store & LocalTranscriptStore;

/** What RedisStore and EmbeddedStore are: every port, and the registry of personal data. */
export type StoreImplementation = PlaygroundStore & PersonalDataRegistry;
