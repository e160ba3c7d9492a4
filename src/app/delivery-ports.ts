// The ports of delivery: the work items the scheduler and the actions queue, the outbox that holds them until
// they are sent, the claims that fire an occurrence once across replicas, the rate limiter shared by every
// replica, and mail. Put together with the rest in ports.ts.
import type { TeamRef } from './ports.ts';

/** What a work item carries: a card for a conversation, or a mail for an address. */
export interface CardPayload {
  card: { name: string; data: unknown; locale: 'da' | 'sv' | 'en'; timeZone: string; template?: object };
  mail?: undefined;
}
export interface MailPayload {
  /** The mail as it is sent; `recipient` is `mail:<address>`. */
  mail: Mail;
  /** Who is told in chat, with which card, if the mail ends as a dead letter: a mail is never lost silently. */
  ifUndelivered?: { recipients: string[]; card: CardPayload['card'] };
  card?: undefined;
}

/**
 * One side effect for one recipient (a card to a person or a channel, a mail to an address): the unit of
 * delivery, idempotent on (team, occurrence, recipient).
 */
export type NewWorkItem = {
  team: TeamRef;
  /** The occurrence, or a key of its own (`agenda:<occurrence>`, `mail:<occurrence>`): with `recipient`, what makes it once-only. */
  occurrenceId: string;
  /** The recipient's conversation key (a user id, or `channel:<id>`), or `mail:<address>` for a mail. */
  recipient: string;
  /**
   * Once sent, the item is deleted rather than kept as sent, and a dead letter of it keeps no recipient: a
   * reminder to answer an anonymous questionnaire would otherwise say for good who had not answered by then.
   */
  forgetWhenSent?: true;
} & (CardPayload | MailPayload);

export type WorkItem = NewWorkItem & {
  state: 'pending' | 'sent' | 'dead';
  /** Failed tries so far (a 5xx, a network error, an item that could not be prepared); 429 waits do not count. */
  attempts: number;
  /** The platform's id of the sent message (or the mail's Message-ID), so the answered card can replace it. */
  messageId?: string;
  lastError?: string;
  /** Since when the platform has answered every try with a 429 (cleared by any other answer): how long a conversation may throttle before the item is given up. */
  throttledSince?: string;
  updatedAt: string;
};

/**
 * An item as `take` hands it out: `lease` names this taking. Only its holder can record the outcome, and
 * only while the item is still pending, so a worker whose lease another has taken over changes nothing.
 * `resumed` when an earlier lease on it ran out with no outcome recorded (its worker stopped mid-send): the
 * platform may already have had it.
 */
export type LeasedItem = WorkItem & { lease: string; resumed?: true };

/** The recipient a dead letter of an item sent to be forgotten (`forgetWhenSent`) carries instead of theirs. */
export const FORGOTTEN_RECIPIENT = '(not kept)';

export interface DeadLetter {
  team: TeamRef;
  occurrenceId: string;
  /** Whom it was for, or FORGOTTEN_RECIPIENT. */
  recipient: string;
  reason: string;
  attempts: number;
  at: string;
}

/**
 * What a try that did not send does to the item: `failed` counts an attempt and keeps the reason (and ends a
 * run of 429s); `throttled` (a 429) keeps the reason and when the run of 429s began, counting no attempt;
 * `waiting` (the limiter's own slot) changes nothing but the time.
 */
export type RetryKind = 'failed' | 'throttled' | 'waiting';

/**
 * Work items waiting to be sent, shared by every replica. An item taken by a worker is leased to it; if the
 * worker dies the lease runs out (by the store's own clock: Redis `TIME`, not a worker's), the item reappears
 * and another sends it (so at most the ones in flight repeat). Every outcome is recorded by compare-and-set:
 * only the lease's holder, only from `pending`; each returns whether it was recorded.
 */
export interface Outbox {
  /**
   * Adds the items not stored yet, as pending, due at `nowMs` (or each at its `dueMs`); returns how many
   * were new. An item already stored (pending, sent or dead) is left exactly as it is, and a sent or dead
   * one is never queued again. Safe to repeat after a crash part-way.
   */
  enqueue(items: NewWorkItem[], nowMs: number, dueMs?: readonly number[]): Promise<number>;
  /**
   * Up to `limit` items due by `nowMs`, oldest first, each leased to this taking for `leaseMs` (of the store's
   * clock) and not handed out again until then; one leased to another whose lease has not run out is skipped.
   */
  take(nowMs: number, limit: number, leaseMs: number): Promise<LeasedItem[]>;
  /**
   * Extends each item's lease to `leaseMs` from now (the store's clock), while that lease still holds it and it is
   * pending: a live worker's slow send keeps its item, so only a dead worker's items come back after the lease.
   * For each item, whether it is still this lease's.
   */
  renew(items: readonly LeasedItem[], leaseMs: number): Promise<boolean[]>;
  /**
   * Records the outcome (see `get`) and takes the item out of the queue for good. The sent item keeps only
   * what is needed afterwards: its state, `messageId`, `updatedAt`, its card's name, locale and time zone
   * (no `data`, which can hold answers and free text, and no template), or its mail's `to` and `subject`
   * (`text` emptied, no `ics`). An item made to be forgotten (`forgetWhenSent`) is deleted instead. False,
   * changing nothing, when the lease is no longer this one's or the item is not pending (or was erased).
   */
  markSent(item: LeasedItem, messageId: string, nowMs: number): Promise<boolean>;
  /** Try again at `atMs` (see RetryKind), ending the lease. False, changing nothing, as for `markSent`. */
  retryAt(item: LeasedItem, atMs: number, reason: string, kind: RetryKind, nowMs: number): Promise<boolean>;
  /**
   * Records the failure, takes the item out of the queue, and adds it to its team's `deadLetters`. False,
   * changing nothing, as for `markSent`. An item made to be forgotten is deleted, and its dead letter names
   * no recipient (FORGOTTEN_RECIPIENT).
   */
  deadLetter(item: LeasedItem, reason: string, nowMs: number): Promise<boolean>;
  get(team: TeamRef, occurrenceId: string, recipient: string): Promise<WorkItem | undefined>;
  /** The team's latest `limit` dead letters (default 100), newest last. */
  deadLetters(team: TeamRef, limit?: number): Promise<DeadLetter[]>;
  /**
   * Puts the team's dead items (of one occurrence, if given) back in the queue, due at `nowMs`, with no
   * attempts counted, and drops their dead letters; returns how many. A letter of an item no longer stored
   * (erased, or sent to be forgotten) has nothing to resend and stays.
   */
  resend(team: TeamRef, nowMs: number, occurrenceId?: string): Promise<number>;
  /** Items queued (taken ones included), across all teams. */
  pending(): Promise<number>;
  /** When the next queued item is due (ms), if any: how long a worker may sleep. */
  nextDue(): Promise<number | undefined>;
}

/**
 * What the outbox keeps about people, for `sparring export` / `erase` and the retention sweep. A person's
 * items are those whose recipient is their user id or `mail:<their address>`.
 */
export interface OutboxRecords {
  /** The team's items (any state) addressed to one of `recipients`, by occurrence. */
  itemsFor(team: TeamRef, recipients: string[]): Promise<WorkItem[]>;
  /** Removes those items, from the queue too; returns how many. Items of other recipients are untouched. */
  eraseItemsFor(team: TeamRef, recipients: string[]): Promise<number>;
  /** The team's dead letters addressed to one of `recipients`, oldest first. */
  deadLettersFor(team: TeamRef, recipients: string[]): Promise<DeadLetter[]>;
  /** Removes exactly those dead letters; one added meanwhile stays. Returns how many. */
  eraseDeadLettersFor(team: TeamRef, recipients: string[]): Promise<number>;
  /** Deletes the team's sent and dead items last changed before `cutoffMs` (pending ones still have to go out); returns how many. */
  deleteBefore(team: TeamRef, cutoffMs: number): Promise<number>;
  /** Deletes the team's dead letters recorded before `cutoffMs`; returns how many. */
  deleteDeadLettersBefore(team: TeamRef, cutoffMs: number): Promise<number>;
}

/** Firing an occurrence exactly once across replicas: a lease while fanning out, then "fired" for good. */
export interface Claims {
  /** `claimed`: go ahead (or carry on: it was ours, and the lease is renewed); `taken`: another replica holds an unexpired lease; `fired`: done before. */
  claim(team: TeamRef, occurrenceId: string, owner: string, leaseMs: number, nowMs: number): Promise<'claimed' | 'taken' | 'fired'>;
  /**
   * Marks it fired for good, only if `owner` holds the claim on record: a replica that lost its
   * lease to another changes nothing, and the holder completes it instead.
   */
  complete(team: TeamRef, occurrenceId: string, owner: string): Promise<void>;
  fired(team: TeamRef): Promise<Set<string>>;
}

/** One send as the limiter sees it: `send` names this attempt of this work item (the slot it holds, if any). */
export interface LimitedSend {
  platform: string;
  tenant: string;
  conversation: string;
  send: string;
}

/**
 * The platforms' limits, shared by every worker of every replica. A send counts from when it is granted
 * until it leaves every window, unless the platform answered that it did not take it (`release`,
 * `throttle`). A send at time t is allowed when, in each window of `windowMs` (+ the margin), fewer than
 * `limit` sends (granted or held) lie within one window before or after t: so no window ever holds more.
 */
export interface RateLimiter {
  /**
   * 0: send now (the send counts). Otherwise how many ms to wait; the earliest slot that fits (within a
   * few windows) is then held for `send`, so the same send asking again at that time is granted; one that
   * comes later than the platform's margin is counted afresh. A conversation a 429 hit waits for its
   * Retry-After, holding no slot.
   */
  acquire(send: LimitedSend, nowMs: number): Promise<number>;
  /** The platform answered without taking the send (a 5xx): it no longer counts. */
  release(send: LimitedSend): Promise<void>;
  /**
   * After a 429 answered at `nowMs`: the send no longer counts; its conversation waits until `untilMs`;
   * and if 429s repeat (LIMITER_RULES), every worker slows the whole tenant to 80% of its rate until then.
   */
  throttle(send: LimitedSend, untilMs: number, nowMs: number): Promise<void>;
  /**
   * Spreads `count` new sends of a tenant at its rate, after the ones spread before: when the first is due
   * and the interval (ms) between them. So a fan-out never queues as one burst.
   */
  pace(platform: string, tenant: string, count: number, nowMs: number): Promise<{ startMs: number; intervalMs: number }>;
}

/** A limit of `limit` requests per sliding `windowMs`. */
export interface Limit {
  limit: number;
  windowMs: number;
}

/** A platform's limits: for a whole tenant (workspace), and per conversation. */
export interface PlatformLimits {
  tenant: Limit[];
  conversation: Limit[];
  /** Added to every window: how much later than counted here a send may reach the platform. Default 0. */
  marginMs?: number;
}

/** A mail the bot sends (the pre-visit mail to the guide), with an optional calendar invitation. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** An iCalendar file (text/calendar) attached as invite.ics. */
  ics?: string;
}

/** Sending a mail (SMTP, or the playground's tray). Throws ChannelError: `transient` (4xx, network) or `permanent` (5xx). */
export interface Mailer {
  /** `key` identifies the work item; the returned id is the mail's Message-ID. */
  send(mail: Mail, options?: { key?: string }): Promise<{ messageId: string }>;
}
