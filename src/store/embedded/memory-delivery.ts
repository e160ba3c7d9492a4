import { type Claims, type DeadLetter, FORGOTTEN_RECIPIENT, type Outbox, type OutboxRecords, type NewWorkItem, type TeamRef, type WorkItem } from '../../app/ports.ts';
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
  const { card, mail, ...rest } = item;
  const sent = { ...rest, state: 'sent' as const, messageId, updatedAt: iso(nowMs) };
  if (card) return { ...sent, card: { name: card.name, data: undefined, locale: card.locale, timeZone: card.timeZone } };
  return { ...sent, mail: { to: mail.to, subject: mail.subject, text: '' } };
}

export class MemoryOutbox implements Outbox, OutboxRecords {
  private readonly items = new Map<string, WorkItem>();
  /** key → when it may be taken */
  private readonly queue = new Map<string, number>();
  private readonly letters: DeadLetter[] = [];

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
    const due = [...this.queue.entries()]
      .filter(([, at]) => at <= nowMs)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit);
    return due.map(([key]) => {
      this.queue.set(key, nowMs + leaseMs);
      return structuredClone(this.items.get(key)!);
    });
  }

  /** Writes the item only if it is still stored (not erased while it was being sent): true when written. */
  private save(item: WorkItem) {
    const key = itemKey(item.team, item.occurrenceId, item.recipient);
    if (!this.items.has(key)) return false;
    this.items.set(key, structuredClone(item));
    return true;
  }

  async markSent(item: WorkItem, messageId: string, nowMs: number) {
    if (item.forgetWhenSent) this.items.delete(itemKey(item.team, item.occurrenceId, item.recipient));
    else this.save(sentItem(item, messageId, nowMs));
    this.queue.delete(itemKey(item.team, item.occurrenceId, item.recipient));
  }

  async retryAt(item: WorkItem, atMs: number, reason: string, failed: boolean, nowMs: number) {
    const key = itemKey(item.team, item.occurrenceId, item.recipient);
    // Only a queued item: a slow worker's retry must not bring back (or overwrite) what another worker sent or dead-lettered.
    if (!this.queue.has(key)) return;
    if (failed) this.save({ ...item, attempts: item.attempts + 1, lastError: reason, updatedAt: iso(nowMs) });
    this.queue.set(key, atMs);
  }

  async deadLetter(item: WorkItem, reason: string, nowMs: number) {
    const key = itemKey(item.team, item.occurrenceId, item.recipient);
    const stored = item.forgetWhenSent ? this.items.delete(key) : this.save({ ...item, state: 'dead', lastError: reason, updatedAt: iso(nowMs) });
    this.queue.delete(key);
    const recipient = item.forgetWhenSent ? FORGOTTEN_RECIPIENT : item.recipient;
    if (stored) this.letters.push({ team: item.team, occurrenceId: item.occurrenceId, recipient, reason, attempts: item.attempts, at: iso(nowMs) });
  }

  async get(team: TeamRef, occurrenceId: string, recipient: string) {
    const item = this.items.get(itemKey(team, occurrenceId, recipient));
    return item && structuredClone(item);
  }

  async deadLetters(limit = 100) {
    return structuredClone(this.letters.slice(-limit));
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
    }
    return entries.length;
  }

  async eraseItemsFor(team: TeamRef, recipients: string[]) {
    return this.remove(this.pick((i) => sameTeam(i.team, team) && recipients.includes(i.recipient)));
  }

  async deadLettersFor(team: TeamRef, recipients: string[]) {
    return structuredClone(this.letters.filter((l) => sameTeam(l.team, team) && recipients.includes(l.recipient)));
  }

  private removeLetters(drop: (letter: DeadLetter) => boolean) {
    const before = this.letters.length;
    this.letters.splice(0, before, ...this.letters.filter((l) => !drop(l)));
    return before - this.letters.length;
  }

  async eraseDeadLettersFor(team: TeamRef, recipients: string[]) {
    return this.removeLetters((l) => sameTeam(l.team, team) && recipients.includes(l.recipient));
  }

  async deleteBefore(team: TeamRef, cutoffMs: number) {
    return this.remove(this.pick((i) => sameTeam(i.team, team) && i.state !== 'pending' && Date.parse(i.updatedAt) < cutoffMs));
  }

  async deleteDeadLettersBefore(cutoffMs: number) {
    return this.removeLetters((l) => Date.parse(l.at) < cutoffMs);
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
