import type { Platform } from '../domain/replies/reply.ts';

/**
 * The interfaces the edges implement. The app talks to storage, clocks and randomness only
 * through these, so a test can run it on a real Redis, on the embedded store, or at a fake time.
 */

export interface Clock {
  now(): Date;
}

/** Structured logs; fields name ids and outcomes, never the content of an answer. */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Ids and shuffles: injected so that tests can repeat a run exactly. */
export interface Random {
  id(): string;
  next(): number;
}

/**
 * Activities a platform may deliver more than once (Teams resends one that got no answer within 15 s,
 * and botbuilder does not notice): the first sighting of a key wins, across replicas.
 */
export interface SeenActivities {
  /** True the first time `key` is seen within `ttlMs` (and marks it seen); false for a repeat. Atomic. */
  firstTime(key: string, ttlMs: number): Promise<boolean>;
}

/** One team's data lives under its tenant (the Teams tenant or Slack workspace) and team id. */
export interface TeamRef {
  tenant: string;
  team: string;
}

export type {
  AnonymousReply,
  Closable,
  ConversationStore,
  DocumentStore,
  DueIndex,
  DueRun,
  ErasureReport,
  HoursEntry,
  HoursStore,
  LocalMessage,
  LocalTranscriptStore,
  Member,
  MemberStore,
  PersonalDataPart,
  PersonalDataRegistry,
  PersonExport,
  PlaygroundStore,
  ReminderMute,
  ReminderStore,
  RecordOutcome,
  ReplyStore,
  ReplyToRecord,
  Run,
  RunStore,
  SentMail,
  SlackInstallationRecord,
  SlackInstallationStore,
  Snooze,
  Store,
  StoreImplementation,
  StoredReply,
  TeamDocument,
} from './store-ports.ts';

/** Where to post to a person or channel: the platform's own reference, opaque to us. */
export interface ConversationRef {
  platform: Platform;
  /** The person's user id, or `channel:<id>` for the team channel. */
  key: string;
  reference: Record<string, unknown>;
}

/** A card ready for one platform: what a Channel posts. */
export interface OutboundMessage {
  /** The rendered card: an Adaptive Card for Teams and the playground, Block Kit (message part) for Slack. */
  card: Record<string, unknown>;
  /** Plain text for notifications and clients that cannot show the card. */
  text: string;
}

/** Why a send failed, as delivery needs to know it: wait, retry later, or give up. */
export class ChannelError extends Error {
  /** `throttled`: 429, wait `retryAfterMs` (for the whole tenant); `transient`: 5xx or network, retry with backoff; `permanent`: 4xx, dead-letter. */
  readonly kind: 'throttled' | 'transient' | 'permanent';
  readonly retryAfterMs?: number;
  readonly status?: number;
  override readonly name = 'ChannelError';
  constructor(message: string, kind: 'throttled' | 'transient' | 'permanent', retryAfterMs?: number, status?: number) {
    super(message);
    this.kind = kind;
    this.retryAfterMs = retryAfterMs;
    this.status = status;
  }
}

/** Posting to a platform: Teams (Bot Connector), Slack (Web API) or the local playground. */
export interface Channel {
  readonly platform: Platform;
  /**
   * Posts a new message; returns the platform's id of it so a later update can edit it. Throws
   * ChannelError. `key` identifies the work item, so a resend after a crash can be recognised.
   * `opened`: the conversation had to be opened first (a Teams member who never wrote to the bot);
   * the reference to keep for the next send.
   */
  send(to: ConversationRef, message: OutboundMessage, options?: { key?: string }): Promise<{ messageId: string; opened?: ConversationRef }>;
  /** Replaces a message posted earlier (the answered card replacing the prompt). Throws ChannelError. */
  update(to: ConversationRef, messageId: string, message: OutboundMessage): Promise<void>;
}

export { FORGOTTEN_RECIPIENT } from './delivery-ports.ts';
export type {
  CardPayload,
  Claims,
  DeadLetter,
  LeasedItem,
  Limit,
  LimitedSend,
  Mail,
  MailPayload,
  Mailer,
  NewWorkItem,
  Outbox,
  OutboxRecords,
  PlatformLimits,
  RateLimiter,
  RetryKind,
  WorkItem,
} from './delivery-ports.ts';
