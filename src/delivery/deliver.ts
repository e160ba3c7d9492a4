import {
  ChannelError,
  type Channel,
  type LimitedSend,
  type Clock,
  type Logger,
  type Mailer,
  type MailPayload,
  type OutboundMessage,
  type Outbox,
  type Random,
  type RateLimiter,
  type ConversationRef,
  type ConversationStore,
  type RunStore,
  type LeasedItem,
  type WorkItem,
} from '../app/ports.ts';
import { CardDataError } from '../cards/render.ts';
import { rendered } from './rendered-cards.ts';
import { retryDelay } from './retry-delay.ts';
import type { Platform } from '../domain/replies/reply.ts';

/**
 * Sends due work items (cards through their platform's Channel, mails through the Mailer): bounded concurrency, the platforms' limits shared through the RateLimiter
 * (a send it refuses comes back at the slot it holds for it), a 429's Retry-After honoured by the conversation (and the whole tenant slowed to 80% of its rate
 * when 429s repeat), 5xx and network errors retried with jittered backoff, and after `maxAttempts` a dead letter with its reason. Each item goes
 * through `prepare` (ready to send, wait for the limiter, or undeliverable), then `send`, then `record`, the one place its outcome is written under
 * its lease; anything thrown on the way is a failed try of that item alone. Driven by the caller's clock, so tests run it at a fake time and
 * production in a loop (see loop.ts).
 */

export interface DeliveryDeps {
  outbox: Outbox;
  limiter: RateLimiter;
  /** Where each recipient is reached, and whether the team still has the bot (a run made inactive sends nothing more). */
  store: ConversationStore & Pick<RunStore, 'getRun'>;
  channels: Partial<Record<Platform, Channel>>;
  /** Sends the outbox's mails; without one, a mail item is a dead letter that says so. */
  mailer?: Mailer;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Told each item's outcome and where it went (the metrics); `throttled` is a 429 (counted as `waiting` in a pass's totals). */
  observe?: (platform: DeliveryPlatform, outcome: Outcome | 'throttled') => void;
}

export interface DeliveryOptions {
  /** Sends in flight at once in this process. */
  concurrency: number;
  /** How long a taken item stays hidden from other workers: longer than a send can take. */
  leaseMs: number;
  maxAttempts: number;
  /** Retry delay after the second failure of a send (a 5xx, a network error); doubled each attempt, with jitter. */
  backoffMs: number;
  /**
   * Retry delay after a card's first failure, with jitter; default a quarter second (at most `backoffMs`).
   * Short: the limiter paces the retry with the rest of the tenant, so it only waits while the tenant is full.
   */
  firstRetryMs?: number;
  /**
   * A send the limiter gives a slot at most this far ahead waits for it in the worker, keeping its lease, instead
   * of going back to the queue: it comes on time for the slot. Back through the queue it came tens of ms late
   * when the workers were busy, and a slot its holder is late for lapses unused (a fan-out at the limit then
   * refused ever more sends). Left out (tests on a fake clock), every wait goes back to the queue.
   */
  waitForSlotMs?: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { concurrency: 16, leaseMs: 60_000, maxAttempts: 5, backoffMs: 2_000, waitForSlotMs: 5_000 };

export type Outcome = 'sent' | 'waiting' | 'retrying' | 'dead';

/** A mail that cannot be delivered is told, with the server's reason, to those it names (the leaders, in chat). */
async function tellUndelivered(deps: DeliveryDeps, item: WorkItem, notice: NonNullable<MailPayload['ifUndelivered']>, reason: string, now: number) {
  const card = { ...notice.card, data: { ...(notice.card.data as object), reason: reason.slice(0, 500) } };
  await deps.outbox.enqueue(
    notice.recipients.map((recipient) => ({ team: item.team, occurrenceId: `${item.occurrenceId}#undelivered`, recipient, card })),
    now,
  );
}

/** Whether the team removed the bot (its run inactive), asked once per team and pass. */
type TeamStopped = (team: WorkItem['team']) => Promise<boolean>;

/** Where an item goes, as the metrics label it: a chat platform, mail, or `unknown` (no conversation to go to). */
export type DeliveryPlatform = Platform | 'mail' | 'unknown';

/** What a send returns. */
type Sent = { messageId: string; opened?: ConversationRef };

/** An item ready to go, or why it cannot go (now, or at all). */
type Prepared =
  | { kind: 'ready'; platform: DeliveryPlatform; send: () => Promise<Sent>; limited?: LimitedSend }
  | { kind: 'wait'; platform: DeliveryPlatform; untilMs: number }
  | { kind: 'undeliverable'; platform: DeliveryPlatform; reason: string };

/** What became of one try: what `record` writes. */
type Result =
  | { kind: 'sent'; sent: Sent }
  | { kind: 'wait'; untilMs: number }
  | { kind: 'throttled'; untilMs: number; reason: string; retryAfterMs?: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'dead'; reason: string };

/**
 * How long a conversation may answer only 429s before its item is given up: a platform that throttles a whole
 * day is not going to take it (a blocked bot, a deleted tenant), and a card a day late has lost its point.
 */
export const MAX_THROTTLED_MS = 24 * 60 * 60 * 1000;

/** Everything a send needs, read and rendered; anything thrown here is a failed try of the item (see deliverOne). */
async function prepare(deps: DeliveryDeps, item: WorkItem, key: string, teamStopped: TeamStopped, now: number): Promise<Prepared> {
  // Removing the bot stops every send to the team, also those queued before; the data stays until erase or retention.
  const stopped = (platform: DeliveryPlatform): Prepared => ({ kind: 'undeliverable', platform, reason: 'the team removed Sparringsbot (its run is inactive)' });
  if (item.mail) {
    if (await teamStopped(item.team)) return stopped('mail');
    const { mailer } = deps;
    if (!mailer) return { kind: 'undeliverable', platform: 'mail', reason: 'no mail server configured (SMTP_URL)' };
    const mail = item.mail;
    return { kind: 'ready', platform: 'mail', send: () => mailer.send(mail, { key }) };
  }
  const to = await deps.store.getConversation(item.team, item.recipient);
  if (!to) return { kind: 'undeliverable', platform: 'unknown', reason: 'no conversation reference for the recipient' };
  if (await teamStopped(item.team)) return stopped(to.platform);
  const channel = deps.channels[to.platform];
  if (!channel) return { kind: 'undeliverable', platform: to.platform, reason: `no channel for platform ${to.platform}` };
  let message: OutboundMessage;
  try {
    message = rendered(item, to.platform);
  } catch (error) {
    // Card data no card can show will not render on any later try either.
    if (error instanceof CardDataError) return { kind: 'undeliverable', platform: to.platform, reason: error.message };
    throw error;
  }
  const conversation = String((to.reference['conversation'] as { id?: unknown } | undefined)?.id ?? to.key);
  // One id per attempt: the slot the limiter holds for this send, and what a 429 or 5xx gives back.
  const limited: LimitedSend = { platform: to.platform, tenant: item.team.tenant, conversation, send: `${key}#${item.attempts}` };
  const wait = await deps.limiter.acquire(limited, now);
  // The limiter holds the slot it named for this send: back then, it goes.
  if (wait > 0) return { kind: 'wait', platform: to.platform, untilMs: now + wait };
  return { kind: 'ready', platform: to.platform, limited, send: () => channel.send(to, message, { key }) };
}

/** Sends a prepared item; what the platform answered, with its limits told (a 429 or a 5xx was not taken, so it does not count). */
async function send(deps: DeliveryDeps, item: WorkItem, ready: Extract<Prepared, { kind: 'ready' }>): Promise<Result> {
  try {
    const sent = await ready.send();
    // A 1:1 opened for this send (a member who never wrote to the bot) is kept, so the next send goes straight there.
    if (sent.opened) await deps.store.saveConversation(item.team, sent.opened);
    return { kind: 'sent', sent };
  } catch (error) {
    const failure = error instanceof ChannelError ? error : new ChannelError(error instanceof Error ? error.message : String(error), 'transient');
    if (failure.kind === 'throttled') {
      // Retry-After counts from the answer, not from when this attempt started.
      const answeredAt = deps.clock.now().getTime();
      const untilMs = answeredAt + (failure.retryAfterMs ?? 1_000);
      if (ready.limited) await deps.limiter.throttle(ready.limited, untilMs, answeredAt);
      return { kind: 'throttled', untilMs, reason: `throttled: ${failure.message}`, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
    }
    if (failure.kind === 'permanent') return { kind: 'dead', reason: `${failure.status ?? ''} ${failure.message}`.trim() };
    // A 5xx was answered without taking the send; a timeout or a broken connection may have been taken, so it still counts.
    if (ready.limited && failure.status !== undefined && failure.status >= 500) await deps.limiter.release(ready.limited);
    return { kind: 'failed', reason: failure.message };
  }
}

type Recorded = Outcome | 'throttled' | 'superseded';

/**
 * The one place an outcome is written. Each write is the lease holder's compare-and-set: false means another
 * worker took the item over (this lease ran out), and then this one records nothing more.
 */
async function record(deps: DeliveryDeps, options: DeliveryOptions, item: LeasedItem, result: Result, now: number): Promise<Recorded> {
  // An item to be forgotten once sent (a reminder of an anonymous questionnaire) is logged without whom it is for.
  const context = { tenant: item.team.tenant, team: item.team.team, occurrenceId: item.occurrenceId, ...(item.forgetWhenSent ? {} : { recipient: item.recipient }) };
  const superseded = (): Recorded => {
    deps.logger.warn(context, 'delivery outcome not recorded: the item was taken over by another worker or erased');
    return 'superseded';
  };
  const dead = async (reason: string): Promise<Recorded> => {
    if (!(await deps.outbox.deadLetter(item, reason, now))) return superseded();
    deps.logger.error({ ...context, reason, attempts: item.attempts }, 'delivery dead-lettered');
    if (item.mail && item.ifUndelivered) await tellUndelivered(deps, item, item.ifUndelivered, reason, now);
    return 'dead';
  };
  switch (result.kind) {
    case 'sent':
      return (await deps.outbox.markSent(item, result.sent.messageId, deps.clock.now().getTime())) ? 'sent' : superseded();
    case 'wait':
      return (await deps.outbox.retryAt(item, result.untilMs, 'rate limit', 'waiting', now)) ? 'waiting' : superseded();
    case 'dead':
      return dead(result.reason);
    case 'throttled': {
      const since = item.throttledSince ? Date.parse(item.throttledSince) : now;
      if (now - since >= MAX_THROTTLED_MS) return dead(`throttled (429) since ${item.throttledSince}: ${result.reason}`);
      if (!(await deps.outbox.retryAt(item, result.untilMs, result.reason, 'throttled', now))) return superseded();
      deps.logger.warn({ ...context, retryAfterMs: result.retryAfterMs }, 'platform throttled the tenant');
      return 'throttled';
    }
    case 'failed': {
      const attempts = item.attempts + 1;
      if (attempts >= options.maxAttempts) return dead(`gave up after ${attempts} attempts: ${result.reason}`);
      if (!(await deps.outbox.retryAt(item, now + retryDelay(item, attempts, options, () => deps.random.next()), result.reason, 'failed', now))) return superseded();
      deps.logger.warn({ ...context, attempts, error: result.reason }, 'delivery failed; will retry');
      return 'retrying';
    }
  }
}

/**
 * Prepares the item; a slot the limiter holds for it soon (options.waitForSlotMs) is waited for here and the
 * item prepared again then, once: a clock that did not move (a test's) leaves it waiting, for the queue.
 */
async function prepareInTime(
  deps: DeliveryDeps,
  options: DeliveryOptions,
  item: WorkItem,
  key: string,
  teamStopped: TeamStopped,
  stopping: () => boolean,
): Promise<{ prepared: Prepared; now: number }> {
  const now = deps.clock.now().getTime();
  const prepared = await prepare(deps, item, key, teamStopped, now);
  const waitMs = prepared.kind === 'wait' ? prepared.untilMs - now : 0;
  // An eighth of the lease at most: the send after the wait must still end well within it, also on a machine so
  // busy that timers fire seconds late (a kill run's short lease otherwise ran out, and another worker sent again).
  if (prepared.kind !== 'wait' || waitMs > Math.min(options.waitForSlotMs ?? 0, options.leaseMs / 8) || stopping()) return { prepared, now };
  await new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  const then = deps.clock.now().getTime();
  if (then < prepared.untilMs || stopping()) return { prepared, now: then };
  return { prepared: await prepare(deps, item, key, teamStopped, then), now: then };
}

/** `recording` is told the moment the outcome is about to be written under the item's lease as it is then. */
async function deliverOne(deps: DeliveryDeps, options: DeliveryOptions, item: LeasedItem, teamStopped: TeamStopped, recording: () => void, stopping: () => boolean): Promise<Recorded> {
  let now = deps.clock.now().getTime();
  const key = `${item.team.tenant}/${item.team.team}/${item.occurrenceId}/${item.recipient}`;
  let platform: DeliveryPlatform = item.mail ? 'mail' : 'unknown';
  let result: Result;
  try {
    const ready = await prepareInTime(deps, options, item, key, teamStopped, stopping);
    const prepared = ready.prepared;
    now = ready.now;
    platform = prepared.platform;
    if (prepared.kind === 'ready') result = await send(deps, item, prepared);
    else if (prepared.kind === 'wait') result = { kind: 'wait', untilMs: prepared.untilMs };
    else result = { kind: 'dead', reason: prepared.reason };
  } catch (error) {
    // Anything else that stops an item (a time zone no calendar knows, a value stored by an older release, a
    // lookup that failed) is a failed try of this item alone: retried, then a dead letter that says why.
    result = { kind: 'failed', reason: `could not prepare the item: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  }
  recording();
  const recorded = await record(deps, options, item, result, now);
  if (recorded !== 'superseded') deps.observe?.(platform, recorded);
  return recorded;
}

/** How long a pass trusts what it read of a team's run (removing the bot stops its sends): a pass can last a whole fan-out. */
const RUN_READ_FOR_MS = 10_000;
/** How long a pass with sends in flight waits at most before it looks at the queue again when nothing is due. */
const NEXT_DUE_WAIT_MS = 1_000;

/** Until the next item is due (as the outbox says now), at most NEXT_DUE_WAIT_MS. */
async function untilNextDue(deps: DeliveryDeps): Promise<void> {
  const next = await deps.outbox.nextDue();
  const delay = Math.min(NEXT_DUE_WAIT_MS, Math.max(0, (next ?? Number.POSITIVE_INFINITY) - deps.clock.now().getTime()));
  // Unref'd: a send finishing first ends the wait, and a timer left over must keep no process alive.
  await new Promise<void>((resolve) => setTimeout(resolve, delay).unref());
}

/**
 * One pass: keeps up to `concurrency` sends in flight, taking more as each finishes and as items come due
 * (a paced fan-out comes due one item after another, while earlier sends are still in flight), until nothing
 * is in flight or due (or `stopping()` says so); returns what happened.
 */
export async function deliverDue(deps: DeliveryDeps, options: DeliveryOptions = DEFAULT_DELIVERY, stopping: () => boolean = () => false): Promise<Record<Outcome, number>> {
  const counts: Record<Outcome, number> = { sent: 0, waiting: 0, retrying: 0, dead: 0 };
  const inFlight = new Set<Promise<void>>();
  /** The items being sent, by key: one whose lease ran out while it was sent comes back under a new lease, which is still ours. */
  const sending = new Map<string, LeasedItem>();
  const runsRead = new Map<string, { atMs: number; stopped: Promise<boolean> }>();
  const teamStopped: TeamStopped = (team) => {
    const teamKey = `${team.tenant}/${team.team}`;
    const now = deps.clock.now().getTime();
    let read = runsRead.get(teamKey);
    if (!read || now - read.atMs >= RUN_READ_FOR_MS) {
      read = { atMs: now, stopped: deps.store.getRun(team).then((run) => run?.active === false) };
      runsRead.set(teamKey, read);
    }
    return read.stopped;
  };
  // A send that finishes wakes the pass; one that fails (not a ChannelError: Redis gone) ends it with its error.
  let wake: (() => void) | undefined;
  const thrown: unknown[] = [];
  for (;;) {
    if (thrown.length > 0) throw thrown[0];
    const free = options.concurrency - inFlight.size;
    // Stopping: take nothing more and let the sends in flight finish, so each is recorded as sent.
    const taking = free > 0 && !stopping();
    const items = taking ? await deps.outbox.take(deps.clock.now().getTime(), free, options.leaseMs) : [];
    for (const item of items) {
      // A send slower than its lease comes back from the queue while still ours: it is not sent again, and
      // its outcome is recorded under the new lease (the old one no longer holds). Once its outcome is being
      // recorded, an item taken again is new work (a retry come due), delivered as any other.
      const key = `${item.team.tenant}/${item.team.team}/${item.occurrenceId}/${item.recipient}`;
      const already = sending.get(key);
      if (already) {
        already.lease = item.lease;
        continue;
      }
      sending.set(key, item);
      const recording = () => {
        if (sending.get(key) === item) sending.delete(key);
      };
      const delivery: Promise<void> = deliverOne(deps, options, item, teamStopped, recording, stopping)
        .then(
          (outcome) => {
            if (outcome === 'throttled') counts.waiting++;
            else if (outcome !== 'superseded') counts[outcome]++;
          },
          (error: unknown) => void thrown.push(error),
        )
        .finally(() => {
          inFlight.delete(delivery);
          recording();
          wake?.();
        });
      inFlight.add(delivery);
    }
    if (inFlight.size === 0) break;
    const finished = new Promise<void>((resolve) => (wake = resolve));
    // Full (or stopping): wait for a send to finish. Nothing due right now: for that, or for the next item's time.
    if (!taking || inFlight.size >= options.concurrency) await finished;
    else if (items.length === 0) await Promise.race([finished, untilNextDue(deps)]);
  }
  if (thrown.length > 0) throw thrown[0];
  return counts;
}
