import {
  type Claims,
  type Clock,
  type DeadLetter,
  FORGOTTEN_RECIPIENT,
  type LeasedItem,
  type Outbox,
  type OutboxRecords,
  type NewWorkItem,
  type RetryKind,
  type TeamRef,
  type WorkItem,
} from '../../app/ports.ts';
import { teamIndexMember } from '../keys.ts';

/**
 * Outbox, claims and limits for a single process without Redis (the playground). The same
 * semantics as the Redis versions, in memory: a restart re-fires nothing already fired only if
 * the caller persists `fired` (the embedded store does not need more for one machine).
 */

const itemKey = (team: TeamRef, occurrenceId: string, recipient: string) => `${teamIndexMember(team)}|${occurrenceId}|${recipient}`;
const iso = (ms: number) => new Date(ms).toISOString();
const sameTeam = (a: TeamRef, b: TeamRef) => a.tenant === b.tenant && a.team === b.team;

/**
 * A sent item as both outboxes keep it: what is needed afterwards (state, message id, when, and the card's
 * name, locale and time zone) and nothing of its content. `card.data` can hold a person's answers and free
 * text, so it goes; a mail keeps `to` (already in its recipient key, `mail:<address>`) and `subject` (which
 * mail went, for an operator), and loses its text and .ics. Erase or retention removes the rest.
 */
export function sentItem(item: WorkItem, messageId: string, nowMs: number): WorkItem {
  const { card, mail, lease: _lease, resumed: _resumed, throttledSince: _since, ...rest } = item as LeasedItem;
  const sent = { ...rest, state: 'sent' as const, messageId, updatedAt: iso(nowMs) };
  if (card) return { ...sent, card: { name: card.name, data: undefined, locale: card.locale, timeZone: card.timeZone } };
  return { ...sent, mail: { to: mail.to, subject: mail.subject, text: '' } };
}

/** The store's own clock when none is given: a lease must not run on a worker's clock. */
const systemClock: Clock = { now: () => new Date() };

/** What an item of a retry becomes (see RetryKind); the same in Redis, which writes what this returns. */
export function retriedItem(item: WorkItem, reason: string, kind: RetryKind, nowMs: number): WorkItem | undefined {
  const { lease: _lease, resumed: _resumed, ...stored } = item as LeasedItem;
  if (kind === 'waiting') return undefined;
  if (kind === 'throttled') return { ...stored, lastError: reason, throttledSince: item.throttledSince ?? iso(nowMs), updatedAt: iso(nowMs) };
  const { throttledSince: _since, ...failed } = stored;
  return { ...failed, attempts: item.attempts + 1, lastError: reason, updatedAt: iso(nowMs) };
}

/** What a dead item becomes; `undefined` for one made to be forgotten (deleted instead). */
export function deadItem(item: WorkItem, reason: string, nowMs: number): WorkItem | undefined {
  if (item.forgetWhenSent) return undefined;
  const { lease: _lease, resumed: _resumed, ...stored } = item as LeasedItem;
  return { ...stored, state: 'dead', lastError: reason, updatedAt: iso(nowMs) };
}

/** The dead letter an item leaves. */
export function letterOf(item: WorkItem, reason: string, nowMs: number): DeadLetter {
  const recipient = item.forgetWhenSent ? FORGOTTEN_RECIPIENT : item.recipient;
  return { team: item.team, occurrenceId: item.occurrenceId, recipient, reason, attempts: item.attempts, at: iso(nowMs) };
}

/** A dead item put back in the queue: pending, no attempts, its last error kept for the operator. */
export function resentItem(item: WorkItem, nowMs: number): WorkItem {
  const { throttledSince: _since, ...rest } = item;
  return { ...rest, state: 'pending', attempts: 0, updatedAt: iso(nowMs) };
}

export class MemoryOutbox implements Outbox, OutboxRecords {
  private readonly items = new Map<string, WorkItem>();
  /** key → when it may be taken */
  private readonly queue = new Map<string, number>();
  /** key → the lease it is taken under, until when (by `clock`) */
  private readonly leases = new Map<string, { token: string; untilMs: number }>();
  /** team index member → its dead letters, oldest first */
  private readonly letters = new Map<string, DeadLetter[]>();
  private readonly clock: Clock;
  private leasesGiven = 0;

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  async enqueue(items: NewWorkItem[], nowMs: number, dueMs?: readonly number[]) {
    let added = 0;
    for (const [i, item] of items.entries()) {
      const key = itemKey(item.team, item.occurrenceId, item.recipient);
      if (this.items.has(key)) continue;
      this.items.set(key, structuredClone({ ...item, state: 'pending', attempts: 0, updatedAt: iso(nowMs) }));
      this.queue.set(key, dueMs?.[i] ?? nowMs);
      added++;
    }
    return added;
  }

  async take(nowMs: number, limit: number, leaseMs: number) {
    const leaseNow = this.clock.now().getTime();
    const due = [...this.queue.entries()]
      .filter(([key, at]) => at <= nowMs && !((this.leases.get(key)?.untilMs ?? 0) > leaseNow))
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit);
    return due.map(([key]): LeasedItem => {
      const lease = `memory-${++this.leasesGiven}`;
      // A lease still on record has run out (a live one hides the item) with no outcome: its worker stopped mid-send.
      const resumed = this.leases.has(key);
      this.queue.set(key, nowMs + leaseMs);
      this.leases.set(key, { token: lease, untilMs: leaseNow + leaseMs });
      return { ...structuredClone(this.items.get(key)!), lease, ...(resumed ? { resumed } : {}) };
    });
  }

  async renew(items: readonly LeasedItem[], leaseMs: number) {
    const leaseNow = this.clock.now().getTime();
    return items.map((item) => {
      const key = itemKey(item.team, item.occurrenceId, item.recipient);
      const lease = this.leases.get(key);
      if (lease?.token !== item.lease || this.items.get(key)?.state !== 'pending') return false;
      lease.untilMs = leaseNow + leaseMs;
      return true;
    });
  }

  /** The item's key if `item.lease` holds its lease and it is pending: the only state an outcome is recorded from. */
  private held(item: LeasedItem) {
    const key = itemKey(item.team, item.occurrenceId, item.recipient);
    if (this.leases.get(key)?.token !== item.lease || this.items.get(key)?.state !== 'pending') return undefined;
    this.leases.delete(key);
    return key;
  }

  private letterList(team: TeamRef) {
    let list = this.letters.get(teamIndexMember(team));
    if (!list) this.letters.set(teamIndexMember(team), (list = []));
    return list;
  }

  async markSent(item: LeasedItem, messageId: string, nowMs: number) {
    const key = this.held(item);
    if (!key) return false;
    if (item.forgetWhenSent) this.items.delete(key);
    else this.items.set(key, structuredClone(sentItem(item, messageId, nowMs)));
    this.queue.delete(key);
    return true;
  }

  async retryAt(item: LeasedItem, atMs: number, reason: string, kind: RetryKind, nowMs: number) {
    const key = this.held(item);
    if (!key) return false;
    const retried = retriedItem(item, reason, kind, nowMs);
    if (retried) this.items.set(key, structuredClone(retried));
    this.queue.set(key, atMs);
    return true;
  }

  async deadLetter(item: LeasedItem, reason: string, nowMs: number) {
    const key = this.held(item);
    if (!key) return false;
    const dead = deadItem(item, reason, nowMs);
    if (dead) this.items.set(key, structuredClone(dead));
    else this.items.delete(key);
    this.queue.delete(key);
    this.letterList(item.team).push(letterOf(item, reason, nowMs));
    return true;
  }

  async resend(team: TeamRef, nowMs: number, occurrenceId?: string) {
    const list = this.letterList(team);
    let resent = 0;
    for (const letter of [...list]) {
      if (occurrenceId !== undefined && letter.occurrenceId !== occurrenceId) continue;
      const key = itemKey(team, letter.occurrenceId, letter.recipient);
      const item = this.items.get(key);
      if (item?.state !== 'dead') continue;
      this.items.set(key, resentItem(item, nowMs));
      this.queue.set(key, nowMs);
      list.splice(list.indexOf(letter), 1);
      resent++;
    }
    return resent;
  }

  async get(team: TeamRef, occurrenceId: string, recipient: string) {
    const item = this.items.get(itemKey(team, occurrenceId, recipient));
    return item && structuredClone(item);
  }

  async deadLetters(team: TeamRef, limit = 100) {
    return structuredClone(this.letterList(team).slice(-limit));
  }

  async pending() {
    return this.queue.size;
  }

  async nextDue() {
    const times = [...this.queue.values()];
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /** The stored items (key and item) that `keep` picks. */
  private pick(keep: (item: WorkItem) => boolean) {
    return [...this.items.entries()].filter(([, item]) => keep(item));
  }

  async itemsFor(team: TeamRef, recipients: string[]) {
    const items = this.pick((i) => sameTeam(i.team, team) && recipients.includes(i.recipient)).map(([, item]) => structuredClone(item));
    return items.sort((a, b) => a.occurrenceId.localeCompare(b.occurrenceId) || recipients.indexOf(a.recipient) - recipients.indexOf(b.recipient));
  }

  private remove(entries: Array<[string, WorkItem]>) {
    for (const [key] of entries) {
      this.items.delete(key);
      this.queue.delete(key);
      this.leases.delete(key);
    }
    return entries.length;
  }

  async eraseItemsFor(team: TeamRef, recipients: string[]) {
    return this.remove(this.pick((i) => sameTeam(i.team, team) && recipients.includes(i.recipient)));
  }

  async deadLettersFor(team: TeamRef, recipients: string[]) {
    return structuredClone(this.letterList(team).filter((l) => recipients.includes(l.recipient)));
  }

  private removeLetters(team: TeamRef, drop: (letter: DeadLetter) => boolean) {
    const list = this.letterList(team);
    const before = list.length;
    list.splice(0, before, ...list.filter((l) => !drop(l)));
    return before - list.length;
  }

  async eraseDeadLettersFor(team: TeamRef, recipients: string[]) {
    return this.removeLetters(team, (l) => recipients.includes(l.recipient));
  }

  async deleteBefore(team: TeamRef, cutoffMs: number) {
    return this.remove(this.pick((i) => sameTeam(i.team, team) && i.state !== 'pending' && Date.parse(i.updatedAt) < cutoffMs));
  }

  async deleteDeadLettersBefore(team: TeamRef, cutoffMs: number) {
    return this.removeLetters(team, (l) => Date.parse(l.at) < cutoffMs);
  }
}

/** Where fired occurrences are kept: in memory by default, in the embedded store's file when it provides one. */
export interface FiredLog {
  has(team: TeamRef, occurrenceId: string): boolean;
  add(team: TeamRef, occurrenceId: string): void;
  all(team: TeamRef): Set<string>;
}

function memoryFiredLog(): FiredLog {
  const done = new Map<string, Set<string>>();
  return {
    has: (team, occurrenceId) => done.get(teamIndexMember(team))?.has(occurrenceId) ?? false,
    add: (team, occurrenceId) => void done.set(teamIndexMember(team), new Set(done.get(teamIndexMember(team))).add(occurrenceId)),
    all: (team) => new Set(done.get(teamIndexMember(team))),
  };
}

export class MemoryClaims implements Claims {
  private readonly log: FiredLog;
  /** Claims in flight: only for this process, never kept. */
  private readonly held = new Map<string, { owner: string; expires: number }>();

  constructor(log: FiredLog = memoryFiredLog()) {
    this.log = log;
  }

  async claim(team: TeamRef, occurrenceId: string, owner: string, leaseMs: number, nowMs: number) {
    if (this.log.has(team, occurrenceId)) return 'fired' as const;
    const key = `${teamIndexMember(team)}|${occurrenceId}`;
    const current = this.held.get(key);
    if (current && current.owner !== owner && current.expires > nowMs) return 'taken' as const;
    this.held.set(key, { owner, expires: nowMs + leaseMs });
    return 'claimed' as const;
  }

  async complete(team: TeamRef, occurrenceId: string, owner: string) {
    const key = `${teamIndexMember(team)}|${occurrenceId}`;
    // Only the claim's holder (its lease run out or not, as long as no one took it over) marks it fired, as in Redis.
    if (this.held.get(key)?.owner !== owner) return;
    this.log.add(team, occurrenceId);
    this.held.delete(key);
  }

  async fired(team: TeamRef) {
    return this.log.all(team);
  }
}

export { MemoryRateLimiter } from './memory-rate-limiter.ts';
